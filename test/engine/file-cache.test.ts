import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { tempTree } from '../support/files.js';

describe('file cache', () => {
  it('tells the kind and the resolved path of what a listing showed as the file system does', () => {
    const root = tempTree('file-cache', { 'dir/file.yaml': 'a: 1\n', 'dir/sub/inner.yaml': 'b: 2\n', 'elsewhere/target.yaml': 'c: 3\n' });
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'dir', 'linked-dir'));
    fs.symlinkSync(path.join(root, 'elsewhere', 'target.yaml'), path.join(root, 'dir', 'linked-file.yaml'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dir', 'dangling'));
    // through a symlinked folder: its entries resolve where it points
    fs.symlinkSync(path.join(root, 'dir'), path.join(root, 'via'));
    const paths = ['dir', 'via'].flatMap((d) => ['file.yaml', 'sub', 'sub/inner.yaml', 'linked-dir', 'linked-dir/target.yaml', 'linked-file.yaml', 'dangling'].map((p) => path.join(root, d, p)));
    const listed = new FileCache();
    for (const d of ['dir', 'via', 'dir/sub', 'via/linked-dir']) listed.entries(path.join(root, d));
    const fresh = new FileCache();
    for (const p of paths) {
      assert.equal(listed.kind(p), fresh.kind(p), p);
      assert.equal(listed.realpath(p), fresh.realpath(p), p);
    }
    assert.equal(listed.realpath(path.join(root, 'via', 'sub', 'inner.yaml')), path.join(fs.realpathSync(root), 'dir', 'sub', 'inner.yaml'));
    assert.deepEqual(
      listed.entries(path.join(root, 'dir')).map((e) => `${e.name}${e.isDirectory ? '/' : ''}`),
      ['dangling', 'file.yaml', 'linked-dir/', 'linked-file.yaml', 'sub/'],
    );
  });
});
