// npm run schemas: regenerates schemas/ from the CRDs in ../shared/crds (run after a build).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBundledCatalog, writeCatalogFolder } from '../dist/src/schemas/bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const crdRoot = process.env.CAPIFLEET_CRDS ?? path.resolve(root, '..', 'shared', 'crds');
const files = renderBundledCatalog(crdRoot);
writeCatalogFolder(path.join(root, 'schemas'), files);
process.stdout.write(`schemas: wrote ${files.size - 1} schemas to schemas/\n`);
