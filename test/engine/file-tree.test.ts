/**
 * A tree of files held in memory, built as if it were a folder: the same output as the same
 * files on disk, and nothing of it written anywhere.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { memoryTree, TreeFileCache } from '../../src/engine/file-tree.js';
import { renderYaml } from '../../src/engine/output.js';
import { render } from '../../src/engine/target.js';
import { tempTree } from '../support/files.js';

const files: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: b\n',
  'overlays/one/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: one-\nconfigMapGenerator:\n- name: extra\n  files:\n  - conf/extra.txt\n',
  'overlays/one/conf/extra.txt': 'hello\n',
};

describe('memoryTree and TreeFileCache', () => {
  const tree = memoryTree(new Map(Object.entries(files).map(([p, c]) => [p, Buffer.from(c)])));

  it('knows files, the folders above them and their sorted names', () => {
    assert.equal(tree.kind('base/cm.yaml'), 'file');
    assert.equal(tree.kind('overlays'), 'directory');
    assert.equal(tree.kind(''), 'directory');
    assert.equal(tree.kind('base/cm.yaml/x'), 'missing');
    assert.equal(tree.kind('nothing'), 'missing');
    assert.deepEqual(tree.list(''), ['base', 'overlays']);
    assert.deepEqual(tree.list('overlays/one'), ['conf', 'kustomization.yaml']);
  });

  it('builds an overlay from memory exactly as from disk, writing nothing', () => {
    const disk = tempTree('file-tree', files);
    const at = path.join(path.dirname(disk), `${path.basename(disk)}-in-memory`);
    const fromMemory = renderYaml(render(path.join(at, 'overlays/one'), { fileCache: new TreeFileCache(at, tree) }));
    assert.equal(fromMemory, renderYaml(render(path.join(disk, 'overlays/one'))));
    assert.match(fromMemory, /name: one-extra-/);
    assert.equal(fs.existsSync(at), false);
    fs.rmSync(disk, { recursive: true, force: true });
  });

  it('a missing file is the build error the disk gives', () => {
    const at = '/nowhere/tree';
    const cache = new TreeFileCache(at, tree);
    assert.throws(() => cache.read(`${at}/base/none.yaml`), /open \/nowhere\/tree\/base\/none\.yaml: no such file or directory/);
    assert.throws(() => cache.read(`${at}/base`), /is a directory/);
    assert.equal(cache.realpath(`${at}/base/none.yaml`), undefined);
    assert.equal(cache.realpath(`${at}/base/cm.yaml`), `${at}/base/cm.yaml`);
  });
});
