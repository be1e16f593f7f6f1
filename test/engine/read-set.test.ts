import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { FileCache } from '../../src/engine/loader.js';
import { changedBefore, CLOCK_TICK_MS, PathObserver, ReadSet } from '../../src/engine/read-set.js';
import { render } from '../../src/engine/target.js';
import { tempTree } from '../support/files.js';
import { sha256 } from '../../src/files.js';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** A tree of files under a fresh, symlink-resolved directory (read sets hold resolved paths). */
const tree = (files: Record<string, string>): string => fs.realpathSync(tempTree('reads', files));

/** What building `dir` looked at, as `kinds path` lines relative to root. */
function readsOf(root: string, dir: string, fileCache?: FileCache): string[] {
  const reads = new ReadSet();
  render(path.join(root, dir), { reads, ...(fileCache ? { fileCache } : {}) });
  return reads.entries().map((r) => `${r.kinds.join(',')} ${path.relative(root, r.path) || '.'}`);
}

const observe = (root: string, dir: string): string => {
  const reads = new ReadSet();
  render(path.join(root, dir), { reads });
  return new PathObserver().observe(reads.entries());
};

describe('read sets', () => {
  it('name every file read, path stat\'ed or resolved and folder listed, exactly', () => {
    const root = tree({
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'base/cm.yaml': CM('cm'),
      'base/unused.yaml': CM('unused'),
      'overlay/kustomization.yaml': 'resources:\n- ../base\n- extra.yaml\nnamePrefix: p-\n',
      'overlay/extra.yaml': CM('extra'),
      'elsewhere/other.yaml': CM('other'),
    });
    assert.deepEqual(readsOf(root, 'overlay'), [
      // the base: a directory stat'ed and resolved, then listed for its kustomization file
      'stat,list,resolve base',
      'read,stat,resolve base/cm.yaml',
      'read,stat,resolve base/kustomization.yaml',
      'stat,list,resolve overlay',
      'read,stat,resolve overlay/extra.yaml',
      'read,stat,resolve overlay/kustomization.yaml',
    ]);
  });

  it('name a path that was stat\'ed and found missing, also when the build fails', () => {
    const root = tree({ 'o/kustomization.yaml': 'resources:\n- cm.yaml\ntransformers:\n- missing\n', 'o/cm.yaml': CM('cm') });
    const reads = new ReadSet();
    // a `transformers:` entry is a file when there is one, else a directory: both were asked
    assert.throws(() => render(path.join(root, 'o'), { reads }), BuildError);
    const missing = reads.entries().find((r) => r.path === path.join(root, 'o', 'missing'));
    assert.deepEqual(missing?.kinds, ['stat']);
  });

  it('say they are partial when a helm binary read files for the build', () => {
    const root = tree({ 'o/kustomization.yaml': 'helmCharts:\n- name: chart\n' });
    const withHelm = new ReadSet();
    assert.throws(() => render(path.join(root, 'o'), { reads: withHelm, enableHelm: true, helmCommand: path.join(root, 'no-helm-here') }), BuildError);
    assert.equal(withHelm.complete, false);
    const withoutHelm = new ReadSet();
    assert.throws(() => render(path.join(root, 'o'), { reads: withoutHelm }), /--enable-helm/);
    assert.equal(withoutHelm.complete, true);
  });

  it('keep what a base built once for many overlays looked at with every overlay it serves', () => {
    const root = tree({
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'base/cm.yaml': CM('cm'),
      'a/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: a-\n',
      'b/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: b-\n',
    });
    const shared = new FileCache();
    const a = readsOf(root, 'a', shared);
    const b = readsOf(root, 'b', shared);
    assert.deepEqual(b.filter((r) => r.endsWith(' base/cm.yaml')), ['read,stat,resolve base/cm.yaml']);
    assert.deepEqual(
      a.map((r) => r.replace(/ a(\/|$)/, ' X$1')),
      b.map((r) => r.replace(/ b(\/|$)/, ' X$1')),
    );
  });

  it('follow a symlink: the link is resolved, its target read, and retargeting it changes what they observe', () => {
    const root = tree({ 'o/kustomization.yaml': 'resources:\n- link.yaml\n', 'o/real/one.yaml': CM('one'), 'o/real/two.yaml': CM('two') });
    fs.symlinkSync(path.join(root, 'o', 'real', 'one.yaml'), path.join(root, 'o', 'link.yaml'));
    const reads = readsOf(root, 'o');
    assert.ok(reads.includes('stat,resolve o/link.yaml'), reads.join('\n'));
    assert.ok(reads.includes('read o/real/one.yaml'), reads.join('\n'));
    const before = observe(root, 'o');
    fs.rmSync(path.join(root, 'o', 'link.yaml'));
    fs.symlinkSync(path.join(root, 'o', 'real', 'two.yaml'), path.join(root, 'o', 'link.yaml'));
    assert.notEqual(observe(root, 'o'), before);
  });

  it('observe a change to a file read and a file added to a folder listed, and nothing else', () => {
    const root = tree({ 'o/kustomization.yaml': 'resources:\n- cm.yaml\n', 'o/cm.yaml': CM('cm'), 'o/sub/x.yaml': CM('x') });
    const reads = new ReadSet();
    render(path.join(root, 'o'), { reads });
    const entries = reads.entries();
    const first = new PathObserver().observe(entries);
    fs.writeFileSync(path.join(root, 'o', 'sub', 'y.yaml'), CM('y')); // a folder the build never listed
    fs.writeFileSync(path.join(root, 'elsewhere.yaml'), CM('e'));
    assert.equal(new PathObserver().observe(entries), first);
    fs.writeFileSync(path.join(root, 'o', 'README.md'), 'notes\n'); // the overlay's folder was listed
    const added = new PathObserver().observe(entries);
    assert.notEqual(added, first);
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('changed'));
    assert.notEqual(new PathObserver().observe(entries), added);
  });
});

describe('PathObserver with a memo', () => {
  /** A memo that counts what it serves and keeps what it is given. */
  const memo = () => {
    const kept = new Map<string, { signature: string; value: string }>();
    return {
      kept,
      get: (key: string, signature: string) => (kept.get(key)?.signature === signature ? kept.get(key)!.value : undefined),
      set: (key: string, signature: string, value: string) => void kept.set(key, { signature, value }),
    };
  };
  const reads = (root: string) => [
    { path: path.join(root, 'o'), kinds: ['list' as const] },
    { path: path.join(root, 'o', 'cm.yaml'), kinds: ['read' as const] },
  ];
  /** Trusts every stat signature, as if each change were long past. */
  const trusting = Date.now() + 3_600_000;

  it('tells whether a path it looked at shows another stat now than when it first looked', () => {
    const root = tree({ 'o/cm.yaml': CM('cm') });
    const observer = new PathObserver(memo(), trusting);
    observer.observe(reads(root));
    assert.equal(observer.changedSinceLooked(), false);
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('other name'));
    assert.equal(observer.changedSinceLooked(), true);
  });

  it('serves a file and a folder whose stat is unchanged without reading them, and looks again once it changed', () => {
    const root = tree({ 'o/cm.yaml': CM('cm') });
    const m = memo();
    const first = new PathObserver(m, trusting).observe(reads(root));
    assert.equal(m.kept.size, 2);
    // a memo serving other values proves they were not looked at again
    for (const entry of m.kept.values()) entry.value = 'served';
    const served = new PathObserver(m, trusting).observe(reads(root));
    assert.notEqual(served, first);
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('changed'));
    fs.writeFileSync(path.join(root, 'o', 'added.yaml'), CM('added'));
    const changed = new PathObserver(m, trusting).observe(reads(root));
    assert.notEqual(changed, served);
    assert.notEqual(changed, first);
    assert.ok([...m.kept.values()].every((e) => e.value !== 'served'), 'both were looked at again');
  });

  it('hashes what its contents source gives, each file read and folder listed once: a file cache shares them with the builds', () => {
    const root = tree({ 'o/cm.yaml': CM('cm') });
    const files = new FileCache();
    const looked: string[] = [];
    const contents = {
      read: (file: string) => (looked.push(`read ${file}`), files.read(file)),
      list: (dir: string) => (looked.push(`list ${dir}`), files.dirents(dir)),
    };
    const observer = new PathObserver(memo(), trusting, contents);
    assert.equal(observer.observe(reads(root)), new PathObserver().observe(reads(root)));
    observer.observe(reads(root));
    assert.deepEqual(looked, [`list ${path.join(root, 'o')}`, `read ${path.join(root, 'o', 'cm.yaml')}`]);
    // what the cache read is what is hashed, and a path it cannot give shows as missing
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('changed'));
    fs.writeFileSync(path.join(root, 'o', 'added.yaml'), CM('added'));
    assert.notEqual(new PathObserver(undefined, trusting, contents).observe(reads(root)), new PathObserver().observe(reads(root)));
    const missing = [
      { path: path.join(root, 'o', 'gone.yaml'), kinds: ['read' as const] },
      { path: path.join(root, 'gone'), kinds: ['list' as const] },
    ];
    assert.equal(new PathObserver(undefined, trusting, contents).observe(missing), new PathObserver().observe(missing));
  });

  it('tell a path changed at or after a moment from one changed before it, a missing one from neither', () => {
    const root = tree({ 'o/cm.yaml': CM('cm') });
    const reads = [{ path: path.join(root, 'o', 'cm.yaml'), kinds: ['read' as const] }];
    assert.equal(new PathObserver().changedSince(reads, Date.now() - 60_000), true);
    assert.equal(new PathObserver().changedSince(reads, Date.now() + 60_000), false);
    assert.equal(new PathObserver().changedSince([{ path: path.join(root, 'missing'), kinds: ['stat'] }], 0), false);
  });

  it('never serves nor keeps a path changed too recently to tell a later change by its times', () => {
    const root = tree({ 'o/cm.yaml': CM('cm') });
    const m = memo();
    new PathObserver(m).observe(reads(root));
    assert.equal(m.kept.size, 0);
  });

  it('keeps a path changed a clock tick before the run, and looks again at it once rewritten with the same size', async () => {
    const root = tree({ 'o/cm.yaml': CM('aa') });
    await new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_TICK_MS));
    const m = memo();
    const first = new PathObserver(m).observe(reads(root));
    assert.equal(m.kept.size, 2, 'the folder and the file were changed before the run');
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('bb'));
    assert.notEqual(new PathObserver(m).observe(reads(root)), first);
  });

  it('stamps what reads show by stat, and tells a rewrite of the same size, an added entry, a path made and a new target from no change', async () => {
    const root = tree({ 'o/cm.yaml': CM('aa'), 'o/sub/x.yaml': CM('x'), 'other/cm.yaml': CM('bb') });
    fs.symlinkSync(path.join(root, 'o'), path.join(root, 'link'));
    await new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_TICK_MS));
    const stamped = [
      { path: path.join(root, 'o'), kinds: ['list' as const] },
      { path: path.join(root, 'o', 'cm.yaml'), kinds: ['read' as const] },
      { path: path.join(root, 'o', 'sub'), kinds: ['stat' as const] },
      { path: path.join(root, 'o', 'missing.yaml'), kinds: ['stat' as const] },
      { path: path.join(root, 'link'), kinds: ['resolve' as const] },
    ];
    const stamps = new PathObserver().stamp(stamped)!;
    assert.ok(stamps);
    const still = () => new PathObserver().stillStamped(stamps);
    assert.equal(still(), true);
    // a folder only stat'ed is the same kind whatever it holds
    fs.writeFileSync(path.join(root, 'o', 'sub', 'y.yaml'), CM('y'));
    assert.equal(still(), true);
    const changes: [what: string, change: () => void, undo: () => void][] = [
      ['a rewrite of the same size', () => fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('cc')), () => {}],
      ['an entry added to a listed folder', () => fs.writeFileSync(path.join(root, 'o', 'added.yaml'), CM('a')), () => fs.rmSync(path.join(root, 'o', 'added.yaml'))],
      ['a path stat\'ed as missing made', () => fs.writeFileSync(path.join(root, 'o', 'missing.yaml'), CM('m')), () => fs.rmSync(path.join(root, 'o', 'missing.yaml'))],
      ['a link given another target', () => (fs.rmSync(path.join(root, 'link')), fs.symlinkSync(path.join(root, 'other'), path.join(root, 'link'))), () => {}],
    ];
    for (const [what, change, undo] of changes) {
      await new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_TICK_MS));
      const before = new PathObserver().stamp(stamped)!;
      assert.ok(before);
      assert.equal(new PathObserver().stillStamped(before), true, what);
      change();
      assert.equal(new PathObserver().stillStamped(before), false, what);
      undo();
    }
    fs.writeFileSync(path.join(root, 'o', 'cm.yaml'), CM('dd'));
    assert.equal(new PathObserver().stamp(stamped), undefined, 'a file read changed at once is not stamped');
    assert.equal(new PathObserver().stillStamped([...stamps, 'x']), false, 'a malformed stamp list');
  });

  it('tells a change before a run from one that may share its stamp with a later change, by the file system\'s granularity', () => {
    const start = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
    const cases: [ctime: number, mtime: number, before: boolean, why: string][] = [
      [start - 100.25, start - 100.25, true, 'fine stamps two ticks before'],
      [start - 10.25, start - 100.25, false, 'a fine change time within the tick'],
      [start - 100.25, start + 60_000, false, 'a modification time set ahead'],
      [start - 1500, start - 1500, false, 'whole seconds: a coarse file system stamps a change after the start in the same second'],
      [start - 2500, start - 2500, true, 'whole seconds, more than a coarse tick before'],
      [start - 100.25, start - 1500, true, 'only the change time tells the granularity (a tool may set a whole-second modification time)'],
    ];
    for (const [ctime, mtime, before, why] of cases) assert.equal(changedBefore(ctime, mtime, start), before, why);
  });

  it('resolves a path as realpath does: through a symlinked folder, a link to a link, and a missing path', () => {
    const root = tree({ 'real/cm.yaml': CM('cm') });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'dir-link'));
    fs.symlinkSync('dir-link/cm.yaml', path.join(root, 'file-link'));
    fs.symlinkSync('file-link', path.join(root, 'link-to-link'));
    const observed = (p: string) => new PathObserver().observe([{ path: path.join(root, p), kinds: ['resolve'] }]);
    // what realpath(3) answers, in the form an observation hashes
    const expected = (p: string) => sha256([path.join(root, p), 'resolve', fs.realpathSync.native(path.join(root, p))].join('\0'));
    for (const p of ['real/cm.yaml', 'dir-link/cm.yaml', 'file-link', 'link-to-link', 'dir-link']) assert.equal(observed(p), expected(p), p);
    const viaDir = new PathObserver().observe([{ path: path.join(root, 'dir-link/cm.yaml'), kinds: ['resolve'] }]);
    fs.rmSync(path.join(root, 'dir-link'));
    fs.mkdirSync(path.join(root, 'dir-link'));
    fs.writeFileSync(path.join(root, 'dir-link', 'cm.yaml'), CM('cm'));
    assert.notEqual(new PathObserver().observe([{ path: path.join(root, 'dir-link/cm.yaml'), kinds: ['resolve'] }]), viaDir);
    fs.rmSync(path.join(root, 'dir-link'), { recursive: true });
    assert.notEqual(new PathObserver().observe([{ path: path.join(root, 'dir-link/cm.yaml'), kinds: ['resolve'] }]), viaDir, 'missing');
  });
});
