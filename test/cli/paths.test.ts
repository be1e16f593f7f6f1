import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { listing, tempTree } from '../support/files.js';
import { cliPath } from '../support/paths.js';

/** Runs capifleet; the timeout only keeps a regression (a read blocking on a FIFO) from hanging the suite. */
function capifleet(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder holding a kustomization `k`, an empty folder, a file that is not YAML, a YAML file and a FIFO. */
function workspace(): string {
  const root = tempTree('paths', {
    'k/kustomization.yaml': 'resources: [cm.yaml]\n',
    'k/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'notyaml.bin': 'x\n',
    'file.yaml': 'a: 1\n',
  });
  fs.mkdirSync(`${root}/emptydir`);
  execFileSync('mkfifo', [`${root}/fifo.yaml`]);
  return root;
}

/** Whether this process may read any folder whatever its mode (root may): then none can be made unreadable. */
const readsEverything = process.getuid?.() === 0;

/** Whether /dev/pts is a mount of the kernel's devpts file system, as on most Linux systems. */
const devptsMounted = (() => {
  try {
    return fs.statfsSync('/dev/pts').type === 0x1cd1 && fs.statSync('/dev/pts').dev !== fs.statSync('/dev').dev;
  } catch {
    return false;
  }
})();

describe('paths on the command line: one line naming the path, exit 2, nothing left behind', { concurrency: true }, () => {
  const cases: [string[], RegExp][] = [
    [['validate', '/dev/null'], /^capifleet: cannot validate \/dev\/null: it is a device, not a file or folder$/],
    [['validate', 'fifo.yaml'], /^capifleet: cannot validate fifo\.yaml: it is a FIFO, not a file or folder$/],
    [['validate', 'k', '--vars-file', 'fifo.yaml'], /^capifleet: cannot read fifo\.yaml: it is a FIFO, not a regular file$/],
    [['validate', 'k', '--vars-file', ''], /^capifleet: --vars-file: an empty path$/],
    [['validate', 'k', '--config', ''], /^capifleet: --config: an empty path$/],
    [['validate', ''], /^capifleet: a path to validate: an empty path$/],
    [['render', 'k', '-o', ''], /^capifleet: --output: an empty path$/],
    [['render', ''], /^capifleet: a kustomization directory: an empty path$/],
    [['diff', '', 'a'], /^capifleet: a side or path of diff: an empty path$/],
    [['render', 'k', '-o', '/dev/null'], /^capifleet: refusing to replace \/dev\/null: it is a device, not a regular file$/],
    [['init', 'emptydir', '--force'], /^capifleet: refusing to replace .*emptydir: it is a folder, not a regular file$/],
    [['init', '', '--force'], /^capifleet: the spec to write: an empty path$/],
    [['init', 'notyaml.bin/x'], /^capifleet: cannot write .*notyaml\.bin\/x: a file sits where a folder of its path goes$/],
    [['generate', '--spec', ''], /^capifleet: --spec: an empty path$/],
    [['generate', '--spec', 'fifo.yaml'], /^capifleet: cannot read fifo\.yaml: it is a FIFO, not a regular file$/],
    [['schemas', 'import', 'k/cm.yaml', '--project-dir', 'file.yaml'], /^capifleet: --project-dir file\.yaml: it is a regular file, not a folder$/],
    [['schemas', 'list', '--project-dir', 'file.yaml'], /^capifleet: --project-dir file\.yaml: it is a regular file, not a folder$/],
    [['schemas', 'import', ''], /^capifleet: a CRD file or folder: an empty path$/],
  ];
  for (const [args, message] of cases) {
    it(`capifleet ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`, () => {
      const root = workspace();
      const before = listing(root);
      const r = capifleet(args, root);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr.trim(), message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.deepEqual(listing(root), before);
      assert.ok(fs.lstatSync('/dev/null').isCharacterDevice());
    });
  }

  it('validate walking into a folder it may not read', { skip: readsEverything && 'every folder is readable to root' }, () => {
    const root = workspace();
    fs.mkdirSync(`${root}/tree/locked`, { recursive: true });
    fs.chmodSync(`${root}/tree/locked`, 0);
    const r = capifleet(['validate', 'tree'], root);
    fs.chmodSync(`${root}/tree/locked`, 0o755);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^capifleet: cannot read the folder .*tree\/locked: permission denied$/);
  });

  for (const dir of ['/proc', '/proc/1', '/sys']) {
    it(`validate ${dir}: one of the kernel's file systems, refused in one line`, () => {
      const r = capifleet(['validate', dir], workspace());
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `capifleet: cannot validate ${dir}: it is one of the kernel's file systems (as /proc and /sys are), not files of anyone's\n`);
    });
  }

  it("a walk leaves out the kernel's file systems mounted below the folder, with a debug note", { skip: !devptsMounted && 'no devpts at /dev/pts' }, () => {
    const r = spawnSync(process.execPath, [cliPath, 'validate', '/dev'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CAPIFLEET_DEBUG: '1' } });
    assert.match(r.stderr, /^capifleet: debug: \/dev\/pts: a kernel file system \(as \/proc or \/sys are\), not walked$/m);
    assert.doesNotMatch(r.stderr, /cannot read|internal error/);
  });
});
