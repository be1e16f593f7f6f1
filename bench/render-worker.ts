/** Renders every directory given on the command line in this one process; prints its peak memory as JSON. */
import * as fs from 'node:fs';
import { FileCache } from '../src/engine/loader.js';
import { renderYaml } from '../src/engine/output.js';
import { render } from '../src/engine/target.js';

const [outFile, ...dirs] = process.argv.slice(2);
const fileCache = new FileCache();
const outputs = dirs.map((d) => renderYaml(render(d, { fileCache })));
fs.writeFileSync(outFile!, JSON.stringify(outputs));
process.stdout.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 }));
