/**
 * Benchmark: `capifleet generate` on a 1000-cluster fleet spec (three environments, four
 * providers, add-on settings at every level), through the CLI as a person runs it: the first run
 * into an empty repository, a second run that finds everything current, and `--check` (what a
 * pre-commit hook runs). Prints the median and best wall time of a few rounds against the 3 s
 * target; file-system times swing widely on a busy machine, so compare medians.
 *
 *   npm run bench:generate [-- clusters rounds]     (default: 1000 3)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { fleetFixture } from '../test/generate/fleet-fixture.js';
import { cliPath } from '../test/support/paths.js';

const TARGET_MS = 3000;
const clusters = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);

/** Wall time of one CLI run in `cwd`, which must exit with `status`. */
function timed(cwd: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`capifleet ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const spec = fleetFixture({ clusters, providers: ['aks', 'azure', 'docker', 'aks-azuremanaged'] }).spec;
const times = { first: [] as number[], again: [] as number[], check: [] as number[] };
let files = 0;
// Trees are removed only after the last round: on a disk without a journal (this machine's), ext4
// makes every new file pay for the inodes freed in the last minutes, so removing one round's tree
// would slow the next round's first run by seconds.
const roots: string[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-generate-'));
    roots.push(root);
    fs.writeFileSync(path.join(root, 'fleet.yaml'), stringify(spec));
    times.first.push(timed(root, ['generate']));
    times.again.push(timed(root, ['generate']));
    times.check.push(timed(root, ['generate', '--check']));
    files = fs.readdirSync(root, { recursive: true }).length;
  }
} finally {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
}

const ms = (n: number): string => `${(n / 1000).toFixed(2)} s`;
const line = (name: string, t: number[]): string => {
  const sorted = [...t].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `  ${name.padEnd(22)} median ${ms(median)}, best ${ms(sorted[0]!)}  ${median <= TARGET_MS ? 'within' : 'OVER'} the ${ms(TARGET_MS)} target`;
};
console.log(`capifleet generate, ${clusters} clusters (${files} files and folders), ${rounds} rounds, load average ${os.loadavg()[0]!.toFixed(1)}:`);
console.log(line('first run', times.first));
console.log(line('second run (unchanged)', times.again));
console.log(line('--check', times.check));
