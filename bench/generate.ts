/**
 * Benchmark: generate the tree of a 1000-cluster fleet (three environments, add-on settings at
 * every level) from its resolved spec and write it to a fresh directory, a few times; prints each
 * step's median and best time against the 3 s target. The spec is resolved by the test fixture,
 * outside the timing. File-system times swing widely on a busy machine: compare medians.
 *
 *   npm run build && node dist/bench/generate.js [clusters] [runs]     (default: 1000 5)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTree } from '../src/generate/tree.js';
import { fleetFixture, writeTree } from '../test/generate/fleet-fixture.js';

const TARGET_MS = 3000;
const clusters = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);

const fleet = fleetFixture({ clusters });
const times: { generate: number; write: number; total: number }[] = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-generate-'));
  const start = performance.now();
  const { files } = generateTree(fleet);
  const generated = performance.now();
  writeTree(root, files);
  const written = performance.now();
  times.push({ generate: generated - start, write: written - generated, total: written - start });
  summary = `${files.length} files, ${(files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) / 1e6).toFixed(1)} MB`;
  fs.rmSync(root, { recursive: true, force: true });
}

function stat(key: keyof (typeof times)[number]): { median: number; best: number } {
  const sorted = times.map((t) => t[key]).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, best: sorted[0]! };
}
const [g, w, t] = (['generate', 'write', 'total'] as const).map(stat);
const ms = (n: number): string => `${n.toFixed(0)} ms`;
console.log(
  `${clusters} clusters (${summary}), median of ${runs} runs (best): generate ${ms(g!.median)} (${ms(g!.best)}), ` +
    `write ${ms(w!.median)} (${ms(w!.best)}), total ${ms(t!.median)} (${ms(t!.best)}); target ${TARGET_MS} ms ${t!.median <= TARGET_MS ? 'met' : 'MISSED'}`,
);
