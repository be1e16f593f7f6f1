/**
 * Benchmark: render a generated fleet (100 and 1000 overlays over a shared base) with one capifleet
 * process and with `kubectl kustomize` once per overlay, in the same run; prints the speed-up and
 * capifleet's peak memory, and checks both produced the same bytes.
 *
 *   npm run build && node dist/bench/render.js [sizes...]     (default: 100 1000)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFleetFixture } from './fleet-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

function kubectl(dir: string): string {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr}`);
  return r.stdout;
}

for (const size of sizes.length ? sizes : [100, 1000]) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-'));
  const dirs = writeFleetFixture(root, size);
  const outFile = path.join(root, 'capifleet-out.json');
  const ourStart = performance.now();
  const worker = spawnSync(process.execPath, [path.join(here, 'render-worker.js'), outFile, ...dirs], { encoding: 'utf8' });
  const ms = performance.now() - ourStart;
  if (worker.status !== 0) throw new Error(`capifleet failed: ${worker.stderr}`);
  const wallStart = performance.now();
  const reference = dirs.map(kubectl);
  const kubectlMs = performance.now() - wallStart;
  const { maxRssMB } = JSON.parse(worker.stdout) as { maxRssMB: number };
  const ours = JSON.parse(fs.readFileSync(outFile, 'utf8')) as string[];
  const identical = ours.filter((o, i) => o === reference[i]).length;
  console.log(
    `${size} overlays: capifleet ${ms.toFixed(0)} ms (one process incl. start-up, peak RSS ${maxRssMB.toFixed(0)} MB), ` +
      `kubectl kustomize ${kubectlMs.toFixed(0)} ms (one process per overlay): ${(kubectlMs / ms).toFixed(1)}x faster; ` +
      `${identical}/${size} outputs byte-identical`,
  );
  fs.rmSync(root, { recursive: true, force: true });
}
