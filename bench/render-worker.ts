/** Renders every directory given on the command line in this one process; prints its peak memory as JSON. */
import * as fs from 'node:fs';
import { renderMany } from '../src/engine/render-many.js';

const [outFile, ...dirs] = process.argv.slice(2);
const outputs = await renderMany(dirs);
fs.writeFileSync(outFile!, JSON.stringify(outputs.map((o) => o.yaml)));
process.stdout.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 }));
