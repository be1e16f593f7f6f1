import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyPlan, finishInterruptedRun, interruptedRun, readTree, type TreeFs } from '../../src/generate/tree-writer.js';
import { BuildError } from '../../src/errors.js';
import type { GeneratedFile } from '../../src/fleet/types.js';
import { GENERATED_ROOTS, planTree, type PlanOptions } from '../../src/generate/plan.js';
import { listing, tempTree } from '../support/files.js';


const repo = (files: Record<string, string> = {}) => tempTree('tree', files);

function contents(root: string): Map<string, string> {
  return new Map(listing(root).filter((p) => fs.statSync(path.join(root, p)).isFile()).map((p) => [p, fs.readFileSync(path.join(root, p), 'utf8')]));
}

function generate(root: string, files: GeneratedFile[], options: PlanOptions = {}, fsImpl?: TreeFs): void {
  const disk = readTree(root, GENERATED_ROOTS);
  applyPlan(root, planTree(files, disk.files, options), disk.leftovers, fsImpl ? { fs: fsImpl } : {});
}

const clusters = (names: string[], version = 'v1'): GeneratedFile[] => [
  { path: 'base/flux/kustomization.yaml', content: `version: ${version}\n` },
  ...names.flatMap((n) => [
    { path: `overlays/dev/${n}/cluster.yaml`, content: `name: ${n}\nversion: ${version}\n` },
    { path: `overlays/dev/${n}/kustomization.yaml`, content: `resources: [cluster.yaml]\n` },
  ]),
];

/** node:fs, except that `fail(call, n)` decides whether its n-th call (0-based) throws. */
function failingFs(fail: (call: keyof TreeFs, n: number) => boolean): TreeFs {
  let n = 0;
  const wrap =
    <K extends keyof TreeFs>(name: K) =>
    (...args: unknown[]) => {
      if (fail(name, n++)) throw new Error(`injected failure in ${name}`);
      return (fs[name] as (...a: unknown[]) => unknown)(...args);
    };
  return {
    mkdirSync: wrap('mkdirSync'),
    writeFileSync: wrap('writeFileSync'),
    renameSync: wrap('renameSync'),
    rmSync: wrap('rmSync'),
    rmdirSync: wrap('rmdirSync'),
    realpathSync: Object.assign(wrap('realpathSync'), { native: fs.realpathSync.native }),
  } as TreeFs;
}

describe('applyPlan', () => {
  it('writes the tree, leaves no temporary file, and reads back as unchanged', () => {
    const root = repo({ 'fleet.yaml': 'spec\n' });
    generate(root, clusters(['a', 'b']));
    assert.deepEqual(listing(root), ['base', 'base/flux', 'base/flux/kustomization.yaml', 'fleet.yaml', 'overlays', 'overlays/dev', 'overlays/dev/a', 'overlays/dev/a/cluster.yaml', 'overlays/dev/a/kustomization.yaml', 'overlays/dev/b', 'overlays/dev/b/cluster.yaml', 'overlays/dev/b/kustomization.yaml']);
    const disk = readTree(root, GENERATED_ROOTS);
    assert.deepEqual(new Set(planTree(clusters(['a', 'b']), disk.files).map((e) => e.action)), new Set(['unchanged']));
  });

  it('--prune removes files and the folders they leave empty, never a hand-written file', () => {
    const root = repo();
    generate(root, clusters(['a', 'b', 'c']));
    fs.writeFileSync(path.join(root, 'overlays/dev/c/NOTES.md'), 'mine\n');
    generate(root, clusters(['a']), { prune: true });
    assert.deepEqual(listing(root).filter((p) => p.startsWith('overlays/dev/')), ['overlays/dev/a', 'overlays/dev/a/cluster.yaml', 'overlays/dev/a/kustomization.yaml', 'overlays/dev/c', 'overlays/dev/c/NOTES.md']);
  });

  it('a failure while staging (any folder or temporary file) leaves the old tree, no temporary file and no new folder', () => {
    const before = clusters(['a', 'b']);
    const after = clusters(['a', 'b', 'c', 'd'], 'v2');
    const generated = (files: GeneratedFile[]): string => {
      const root = repo();
      generate(root, files);
      return root;
    };
    const old = generated(before);
    for (const call of ['mkdirSync', 'writeFileSync'] as const) {
      let count = 0;
      generate(generated(before), after, {}, failingFs((c) => c === call && count++ < 0));
      // mkdir: base, base/flux, overlays, overlays/dev and the folders of a-d; writes: the 7 changed files' temporary files, then the journal
      assert.equal(count, 8, call);
      for (let k = 0; k < count; k++) {
        const root = generated(before);
        let calls = 0;
        assert.throws(() => generate(root, after, {}, failingFs((c) => c === call && calls++ === k)), /injected failure/);
        assert.deepEqual(contents(root), contents(old), `${call} ${k} failing`);
        assert.deepEqual(listing(root), listing(old), `${call} ${k} failing leaves no folder or temporary file`);
      }
    }
  });

  it('a failure before or during the renames leaves each file old or new, and no temporary file', () => {
    const before = clusters(['a', 'b']);
    const after = clusters(['a', 'b', 'c'], 'v2');
    const old = contents((() => { const r = repo(); generate(r, before); return r; })());
    const renames = after.filter((f) => !before.some((b) => b.path === f.path && b.content === f.content)).length;
    assert.equal(renames, 5);
    for (let k = 0; k <= renames; k++) {
      const root = repo();
      generate(root, before);
      let renamed = 0;
      const fsImpl = failingFs((call) => call === 'renameSync' && renamed++ === k);
      if (k < renames) assert.throws(() => generate(root, after, {}, fsImpl), /injected failure/);
      else generate(root, after, {}, fsImpl);
      const now = contents(root);
      const fresh = contents((() => { const r = repo(); generate(r, after); return r; })());
      for (const [p, content] of now) assert.ok(content === old.get(p) || content === fresh.get(p), `${p} after ${k} renames is neither old nor new`);
      assert.ok(!listing(root).some((p) => p.includes('.capifleet-')), `temporary files after ${k} renames`);
      if (k === 0) assert.deepEqual(listing(root).filter((p) => p.startsWith('overlays/dev/c')), [], 'a failure before any rename leaves no new folder');
      else if (k === renames) assert.deepEqual(now, fresh);
    }
  });

  it('a run killed midway (no clean-up) leaves old or new files and a journal; the next run finishes it and completes', () => {
    const before = clusters(['a', 'b']);
    const after = clusters(['a', 'b', 'c'], 'v2');
    const root = repo();
    generate(root, before);
    const old = contents(root);
    let renames = 0;
    // the process dies during the second rename: every later call fails, clean-up included
    assert.throws(() => generate(root, after, {}, failingFs((call) => (call === 'renameSync' && ++renames === 2) || renames >= 2)));
    const fresh = contents((() => { const r = repo(); generate(r, after); return r; })());
    const leftovers = readTree(root, GENERATED_ROOTS).leftovers;
    assert.ok(leftovers.length > 0, 'a killed run leaves its temporary files');
    assert.ok(interruptedRun(root));
    for (const [p, content] of contents(root)) {
      if (leftovers.includes(p) || p === '.capifleet-generate.journal') continue;
      assert.ok(content === old.get(p) || content === fresh.get(p), `${p} is neither old nor new`);
    }
    assert.ok(!readTree(root, GENERATED_ROOTS).files.has(leftovers[0]!), 'temporary files are not taken for tree files');
    generate(root, after);
    assert.deepEqual(contents(root), fresh);
  });

  it('a run killed among its renames leaves a journal; finishing it yields the tree that run was writing', () => {
    const before = clusters(['a', 'b', 'c']);
    const after = clusters(['a', 'b'], 'v2');
    const root = repo();
    generate(root, before);
    let renames = 0;
    assert.throws(() => generate(root, after, { prune: true }, failingFs((call) => (call === 'renameSync' && ++renames === 3) || renames >= 3)));
    assert.ok(interruptedRun(root), 'the journal marks the tree half-written');
    assert.equal(finishInterruptedRun(root), true);
    assert.equal(interruptedRun(root), false);
    const fresh = contents((() => { const r = repo(); generate(r, after); return r; })());
    assert.deepEqual(contents(root), fresh, 'renames finished, pruned files removed, no temporary file or journal left');
    assert.equal(finishInterruptedRun(root), false, 'nothing to finish twice');
  });

  it('refuses to write through a symbolic link leading out of the repository', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-outside-'));
    const root = repo();
    fs.symlinkSync(outside, path.join(root, 'overlays'));
    assert.throws(() => generate(root, clusters(['a'])), (e: unknown) => e instanceof BuildError && /refusing to write outside the fleet repository/.test(e.message));
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});
