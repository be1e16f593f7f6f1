/**
 * Which builds a set of changes can reach: a file a build read, stat'ed or resolved (or a folder
 * above it) changed, or a folder it listed gained or lost a name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Read } from '../../src/engine/read-set.js';
import { changeSet, readsTouch } from '../../src/diff/repository.js';

const root = '/repo';
const reads = (...entries: [string, ...Read['kinds']][]): Read[] => entries.map(([p, ...kinds]) => ({ path: `${root}/${p}`, kinds }));

describe('changeSet', () => {
  it('a file added in a folder both sides have changes that folder’s listing only', () => {
    const c = changeSet(['a/kustomization.yaml'], ['a/new.yaml'], () => true);
    assert.deepEqual([...c.paths].sort(), ['a/kustomization.yaml', 'a/new.yaml']);
    assert.deepEqual([...c.listings], ['a']);
  });

  it('a file in a new folder: the folder is on one side only, and its parent’s listing changed', () => {
    const c = changeSet([], ['a/b/new.yaml'], (folder) => folder === 'a');
    assert.deepEqual([...c.paths].sort(), ['a/b', 'a/b/new.yaml']);
    assert.deepEqual([...c.listings].sort(), ['a', 'a/b']);
  });

  it('a file at the top changes the top listing', () => {
    assert.deepEqual([...changeSet([], ['fleet.yaml'], () => true).listings], ['']);
  });
});

describe('readsTouch', () => {
  const changes = changeSet(['base/app.yaml'], ['overlays/a/extra.yaml', 'lib/x/y.yaml'], (f) => f !== 'lib/x');

  it('a changed file read', () => assert.equal(readsTouch(reads(['base/app.yaml', 'read']), root, changes), true));
  it('a path below a folder on one side only', () => assert.equal(readsTouch(reads(['lib/x/z.yaml', 'stat']), root, changes), true));
  it('a listed folder that gained a file', () => assert.equal(readsTouch(reads(['overlays/a', 'list']), root, changes), true));
  it('the same folder only stat’ed', () => assert.equal(readsTouch(reads(['overlays/a', 'stat', 'resolve']), root, changes), false));
  it('nothing changed that it looked at', () => assert.equal(readsTouch(reads(['base/other.yaml', 'read'], ['overlays/b', 'list']), root, changes), false));
  it('a path outside the repository', () => assert.equal(readsTouch(reads(['../elsewhere/app.yaml', 'read']), root, changes), false));
  it('no changes', () => assert.equal(readsTouch(reads(['base/app.yaml', 'read']), root, changeSet([], [], () => true)), false));
});
