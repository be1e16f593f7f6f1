/** Worker-thread side of renderMany: renders the directories handed to it with one shared file cache. */
import { serveWork, workerSetup } from '../worker-pool.js';
import { directoryRenderer, type PortableRenderOptions } from './render-many.js';

serveWork(directoryRenderer(workerSetup<PortableRenderOptions>()));
