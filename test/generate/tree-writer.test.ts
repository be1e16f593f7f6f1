import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
    linkSync: wrap('linkSync'),
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
    // mkdir: base, base/flux, overlays, overlays/dev and the folders of a-d; writes: the 7 changed files' temporary files, then the journal;
    // links: the 3 files replaced, kept until the end
    for (const [call, calls] of [['mkdirSync', 8], ['writeFileSync', 8], ['linkSync', 3]] as const) {
      let count = 0;
      generate(generated(before), after, {}, failingFs((c) => c === call && count++ < 0));
      assert.equal(count, calls, call);
      for (let k = 0; k < count; k++) {
        const root = generated(before);
        let calls = 0;
        assert.throws(() => generate(root, after, {}, failingFs((c) => c === call && calls++ === k)), /injected failure/);
        assert.deepEqual(contents(root), contents(old), `${call} ${k} failing`);
        assert.deepEqual(listing(root), listing(old), `${call} ${k} failing leaves no folder or temporary file`);
      }
    }
  });

  it('a failure before or during the renames or removals leaves the old tree: nothing replaced, no temporary file, no new folder', () => {
    const before = clusters(['a', 'b', 'c']);
    const after = clusters(['a', 'b', 'd'], 'v2');
    const old = (() => { const r = repo(); generate(r, before); return r; })();
    // the journal's rename into place, the 5 changed files', then c's 2 files moved aside as they are pruned
    const renames = 1 + 5 + 2;
    for (let k = 0; k <= renames; k++) {
      const root = repo();
      generate(root, before);
      let renamed = 0;
      const fsImpl = failingFs((call) => call === 'renameSync' && renamed++ === k);
      if (k < renames) {
        assert.throws(() => generate(root, after, { prune: true }, fsImpl), /injected failure/);
        assert.deepEqual(contents(root), contents(old), `failing rename ${k}`);
        assert.deepEqual(listing(root), listing(old), `failing rename ${k} leaves no folder or temporary file`);
      } else {
        generate(root, after, { prune: true }, fsImpl);
        assert.equal(renamed, renames);
        assert.deepEqual(contents(root), contents((() => { const r = repo(); generate(r, after); return r; })()));
      }
    }
  });

  it('a failure keeps the folders it did not create, empty ones included', () => {
    const root = repo();
    generate(root, clusters(['a']));
    fs.mkdirSync(path.join(root, 'overlays/prod'));
    fs.mkdirSync(path.join(root, 'overlays/dev/b'));
    const before = listing(root);
    let renamed = 0;
    const after: GeneratedFile[] = [...clusters(['a', 'b']), { path: 'overlays/prod/x/kustomization.yaml', content: 'x\n' }];
    assert.throws(() => generate(root, after, {}, failingFs((call) => call === 'renameSync' && renamed++ === 3)), /injected failure/);
    assert.deepEqual(listing(root), before);
  });

  it('a folder where a file goes fails the run in one piece, the old tree kept', () => {
    const root = repo();
    generate(root, clusters(['a']));
    fs.mkdirSync(path.join(root, 'overlays/dev/b/cluster.yaml'), { recursive: true });
    const before = contents(root);
    const folders = listing(root);
    assert.throws(() => generate(root, clusters(['a', 'b'], 'v2')), (e: unknown) => e instanceof BuildError && /overlays\/dev\/b\/cluster\.yaml is a folder where generate writes a file/.test(e.message));
    assert.deepEqual(contents(root), before);
    assert.deepEqual(listing(root), folders);
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
    // the old files kept for an undo are left over, and removed by the next run as any temporary file
    const leftovers = readTree(root, GENERATED_ROOTS).leftovers;
    assert.ok(leftovers.length > 0 && leftovers.every((p) => p.endsWith('.old.tmp')), leftovers.join());
    assert.deepEqual(new Map([...contents(root)].filter(([p]) => !leftovers.includes(p))), fresh, 'renames finished, pruned files removed, no journal left');
    assert.equal(finishInterruptedRun(root), false, 'nothing to finish twice');
    generate(root, after);
    assert.deepEqual(contents(root), fresh, 'no temporary file left');
  });

  it('refuses to write through a symbolic link leading out of the repository', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-outside-'));
    const root = repo();
    fs.symlinkSync(outside, path.join(root, 'overlays'));
    assert.throws(() => generate(root, clusters(['a'])), (e: unknown) => e instanceof BuildError && /refusing to write outside the fleet repository/.test(e.message));
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});

describe('finishInterruptedRun refuses a journal it cannot trust, touching nothing', () => {
  /** A generated repository beside a folder `outside` holding a file; `setup` adds the hostile part. */
  function hostile(journal: string, setup: (root: string, outside: string) => void = () => {}): { root: string; outside: string } {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-journal-'));
    const root = path.join(parent, 'repo');
    const outside = path.join(parent, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.yaml'), 'secret\n');
    generate(root, clusters(['a']));
    fs.writeFileSync(path.join(root, 'overlays/dev/a/.capifleet-1-0.tmp'), 'staged\n');
    setup(root, outside);
    if (!fs.lstatSync(path.join(root, '.capifleet-generate.journal'), { throwIfNoEntry: false })) fs.writeFileSync(path.join(root, '.capifleet-generate.journal'), journal);
    return { root, outside };
  }

  const snapshot = (dir: string): [string, string][] =>
    listing(dir).map((p) => {
      const stats = fs.lstatSync(path.join(dir, p));
      return [p, stats.isFile() ? fs.readFileSync(path.join(dir, p), 'utf8') : stats.isSymbolicLink() ? `-> ${fs.readlinkSync(path.join(dir, p))}` : 'other'];
    });

  const renames = (...pairs: [unknown, unknown][]) => JSON.stringify({ renames: pairs, removals: [] });
  const removals = (...paths: unknown[]) => JSON.stringify({ renames: [], removals: paths });
  const staged = 'overlays/dev/a/.capifleet-1-0.tmp';
  const target = 'overlays/dev/a/cluster.yaml';

  const journals: [string, string, ((root: string, outside: string) => void)?][] = [
    ['a list', '[]'],
    ['null', 'null'],
    ['a number for renames', '{"renames":5,"removals":[]}'],
    ['a number among the removals', removals('overlays/dev/a/cluster.yaml', 5)],
    ['a rename that is not a pair', renames([staged, target]).replace(`"${target}"`, `"${target}","x"`)],
    ['a missing key', '{"renames":[]}'],
    ['an extra key', '{"renames":[],"removals":[],"run":"x"}'],
    ['cut short', renames([staged, target]).slice(0, 20)],
    ['empty', ''],
    ['an absolute path', removals('/etc/hostname')],
    ['a path going up', removals('overlays/../../outside/secret.yaml')],
    ['a path outside the generated roots', removals('fleet.yaml')],
    ['a folder to remove', removals('overlays/dev')],
    ['a NUL in a path', removals('overlays/dev/a/cluster.yaml\u0000')],
    ['a removal through a link out of the repository', removals('escape/secret.yaml'), (root, outside) => fs.symlinkSync(outside, path.join(root, 'escape'))],
    ['a removal through a link below a root', removals('overlays/escape/secret.yaml'), (root, outside) => fs.symlinkSync(outside, path.join(root, 'overlays/escape'))],
    ['a rename from outside', renames(['escape/secret.yaml', 'stolen.yaml']), (root, outside) => fs.symlinkSync(outside, path.join(root, 'escape'))],
    ['a rename through a link below a root', renames(['overlays/escape/.capifleet-1-0.tmp', 'overlays/escape/x.yaml']), (root, outside) => {
      fs.symlinkSync(outside, path.join(root, 'overlays/escape'));
      fs.writeFileSync(path.join(outside, '.capifleet-1-0.tmp'), 'theirs\n');
    }],
    ['a rename of a link as a temporary file', renames(['overlays/dev/a/.capifleet-1-1.tmp', target]), (root, outside) => fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'overlays/dev/a/.capifleet-1-1.tmp'))],
    ['a rename of a file that is not a temporary file', renames([target, 'overlays/dev/a/kustomization.yaml'])],
    ['a rename to another folder', renames([staged, 'base/flux/kustomization.yaml'])],
    ['a journal that is a link', '', (root, outside) => fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, '.capifleet-generate.journal'))],
    ['a journal that is a folder', '', (root) => fs.mkdirSync(path.join(root, '.capifleet-generate.journal'))],
    ['a journal that is a FIFO', '', (root) => execFileSync('mkfifo', [path.join(root, '.capifleet-generate.journal')])],
  ];

  for (const [what, journal, setup] of journals) {
    it(`refuses ${what}`, () => {
      const { root, outside } = hostile(journal, setup);
      const before = [snapshot(root), snapshot(outside)];
      assert.throws(
        () => finishInterruptedRun(root),
        (e: unknown) => e instanceof BuildError && e.file === path.join(root, '.capifleet-generate.journal') && !e.message.includes('\n') && /not a journal capifleet wrote/.test(e.message),
      );
      assert.deepEqual([snapshot(root), snapshot(outside)], before);
    });
  }

  it('still finishes a journal of the shape generate writes', () => {
    const { root } = hostile(renames([staged, target]));
    assert.equal(finishInterruptedRun(root), true);
    assert.equal(fs.readFileSync(path.join(root, target), 'utf8'), 'staged\n');
    assert.equal(interruptedRun(root), false);
  });
});
