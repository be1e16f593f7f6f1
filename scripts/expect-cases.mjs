#!/usr/bin/env node
/**
 * `npm run cases:expect [-- --all | CASE...]`. Writes each differential case's expected output from `kubectl kustomize` (the reference):
 * expected.yaml on success, expected.err on failure. Only cases without an expectation are
 * written unless `--all` is given. A script, not a test module: `node --test dist/test/` runs every
 * file it finds there, and this one writes into the repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubectlAvailable, listCases, runKustomize } from '../dist/test/support/cases.js';
import { casesDir } from '../dist/test/support/paths.js';

if (!kubectlAvailable()) {
  console.error('kubectl is not installed: cannot produce reference outputs');
  process.exit(2);
}
const all = process.argv.includes('--all');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
let written = 0;
for (const c of listCases()) {
  if (only.length && !only.includes(c.name)) continue;
  if (!all && !only.length && (c.expectedYaml !== undefined || c.expectedError !== undefined)) continue;
  if (c.noLiveCheck) continue;
  const r = runKustomize(c);
  const home = path.join(casesDir, c.name);
  fs.rmSync(path.join(home, 'expected.yaml'), { force: true });
  fs.rmSync(path.join(home, 'expected.err'), { force: true });
  if (r.ok) fs.writeFileSync(path.join(home, 'expected.yaml'), r.stdout);
  else fs.writeFileSync(path.join(home, 'expected.err'), r.stderr.replace(/^E\d{4} [\d:.]+\s+\d+ run\.go:\d+\] /gm, ''));
  written++;
  console.log(`${r.ok ? 'ok  ' : 'err '} ${c.name}`);
}
console.log(`${written} case(s) written`);
