import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPORTERS } from '../../src/report/findings/index.js';
import { RULE_REGISTRY } from '../../src/validate/rule-registry.js';
import { compareFindings } from '../../src/validate/finding.js';
import { discoverInputs } from '../../src/validate/inputs.js';
import { ManifestResultCache } from '../../src/validate/result-cache.js';
import { threadsToValidate, validateMany, ValidationThread, type ValidateJob, type ValidateSetup } from '../../src/validate/validate-many.js';
import { LARGE_TREE, writeLargeTree } from '../support/large-tree.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-many-'));
writeLargeTree(root);

/** Validates the large tree in a fresh thread state, on at most `threads` threads; every reporter's output. */
async function validateTree(threads: number, cacheDir?: string) {
  const setup: ValidateSetup = {
    projectDir: root,
    ...(cacheDir ? { cacheDir } : {}),
    options: { vars: new Map(), strictVars: false, strictRefs: true, missingSchemas: 'warn', rules: new Map() },
  };
  const here = new ValidationThread(setup, () => {});
  const results = cacheDir ? new ManifestResultCache(cacheDir, () => 'fingerprint') : undefined;
  const warnings: string[] = [];
  const validated = await validateMany(discoverInputs([root], here.kustomizationCheck), here, {
    threads,
    ...(results ? { results } : {}),
    onWarning: (message, file) => warnings.push(`${file}: ${message}`),
  });
  here.compiler.saveCodeCaches(validated.codeCaches);
  results?.save();
  const report = { tool: { name: 'capifleet', version: 'test' }, units: validated.units, findings: validated.findings.sort(compareFindings), rules: [...RULE_REGISTRY] };
  const outputs = Object.entries(REPORTERS).map(([format, r]) => `${format}\n${r.render(report, { color: true, cwd: root })}`);
  return { ...validated, outputs, warnings };
}

describe('validateMany', () => {
  it('gives the same units, findings, warnings and reports in every format on one thread and on two', async () => {
    // in this order the worker is likelier to start before this thread, still cold, has done every job
    // (which thread does what is the pool's to decide; its own tests make sure workers get items)
    const parallel = await validateTree(2);
    const serial = await validateTree(1);
    assert.equal(serial.threads, 1);
    assert.equal(parallel.threads, 2);
    assert.deepEqual(parallel.units, serial.units);
    assert.deepEqual(parallel.findings, serial.findings);
    assert.deepEqual(parallel.warnings, serial.warnings);
    for (const [i, output] of serial.outputs.entries()) assert.equal(parallel.outputs[i], output);
    // the tree holds what it should, so the comparison means something
    assert.equal(serial.units.length, LARGE_TREE.overlays + LARGE_TREE.folders);
    const rules = new Set(serial.findings.map((f) => f.ruleId));
    for (const rule of ['input/build', 'input/yaml', 'yaml/duplicate-key', 'schema/type', 'capi/cluster-name', 'k8s/duplicate-id']) assert.ok(rules.has(rule), rule);
    assert.equal(serial.findings.filter((f) => f.ruleId === 'input/build').length, LARGE_TREE.overlaysFailing);
    assert.ok(serial.warnings.some((w) => /commonLabels/.test(w)));
  });

  it('feeds the result cache from every thread: a warm run serves every file and reports the same', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-many-cache-'));
    const cold = await validateTree(2, cacheDir);
    const warm = await validateTree(2, cacheDir);
    assert.deepEqual(warm.outputs, cold.outputs);
    const pack = JSON.parse(fs.readFileSync(path.join(cacheDir, 'results-v1.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(Object.keys(pack).length, LARGE_TREE.folders * LARGE_TREE.filesPerFolder);
  });
});

describe('threadsToValidate', () => {
  const overlays = (n: number): ValidateJob[] => Array.from({ length: n }, (_, i) => ({ kind: 'overlay', dir: `o${i}` }));
  const files = (n: number): ValidateJob[] => Array.from({ length: n }, (_, i) => ({ kind: 'file', file: `f${i}.yaml`, bytes: new Uint8Array(), overlay: '.' }));

  it('gives the threads asked for', () => {
    assert.equal(threadsToValidate(files(3), 2, 1), 2);
    assert.equal(threadsToValidate(files(10_000), 1, 8), 1);
  });

  it('by default keeps one overlay, or a few files, on this thread', () => {
    assert.equal(threadsToValidate(overlays(1), undefined, 8), 1);
    assert.equal(threadsToValidate(files(50), undefined, 8), 1);
    assert.equal(threadsToValidate([], undefined, 8), 1);
  });

  it('by default adds a thread for each share of work worth one, overlays weighing more than files, up to those available', () => {
    assert.equal(threadsToValidate(files(10_000), undefined, 1), 1);
    assert.equal(threadsToValidate(files(10_000), undefined, 3), 3);
    const perThread = files(10_000).findIndex((_, i) => threadsToValidate(files(i + 1), undefined, 8) === 2) + 1;
    assert.ok(perThread > 50, `a second thread from ${perThread} files`);
    assert.ok(threadsToValidate(overlays(Math.ceil(perThread / 2)), undefined, 8) >= 2, 'overlays are more work than files');
  });
});
