import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it, mock } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { Resource } from '../../src/engine/resource.js';
import { render } from '../../src/engine/target.js';
import { tempTree } from '../support/files.js';

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** n kustomizations, each with one object and the next one as its base, each folder inside the last. */
function nestedChain(n: number): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const dir = Array.from({ length: i }, () => 'b').join('/');
    files[path.posix.join(dir, 'kustomization.yaml')] = `resources:\n- cm.yaml\n${i < n - 1 ? '- b\n' : ''}`;
    files[path.posix.join(dir, 'cm.yaml')] = configMap(`cm-${i}`);
  }
  return tempTree('nested', files);
}

/** One kustomization with n sibling bases of one object each. */
function siblings(n: number): string {
  const files: Record<string, string> = { 'kustomization.yaml': `resources:\n${Array.from({ length: n }, (_, i) => `- s${i}\n`).join('')}` };
  for (let i = 0; i < n; i++) {
    files[`s${i}/kustomization.yaml`] = 'resources:\n- cm.yaml\n';
    files[`s${i}/cm.yaml`] = configMap(`cm-${i}`);
  }
  return tempTree('siblings', files);
}

/** Counts of the work one render does: files read, parses looked up, objects copied, ids read. */
function workOf(dir: string): { reads: number; parses: number; copies: number; ids: number; objects: number } {
  const reads = mock.method(FileCache.prototype, 'read');
  const parses = mock.method(FileCache.prototype, 'memo');
  const copies = mock.method(Resource.prototype, 'clone');
  const ids = mock.method(Resource.prototype, 'curId');
  try {
    const objects = render(dir, { fileCache: new FileCache() }).length;
    return { reads: reads.mock.callCount(), parses: parses.mock.callCount(), copies: copies.mock.callCount(), ids: ids.mock.callCount(), objects };
  } finally {
    mock.restoreAll();
  }
}

describe('chains of bases', () => {
  it('a nested chain twice as long reads, parses and copies at most twice as much', () => {
    const short = workOf(nestedChain(40));
    const long = workOf(nestedChain(80));
    assert.equal(short.objects, 40);
    assert.equal(long.objects, 80);
    assert.equal(long.copies, 0, 'a base used once is handed over, not copied');
    for (const k of ['reads', 'parses'] as const) assert.ok(long[k] <= 2 * short[k], `${k}: ${short[k]} for 40, ${long[k]} for 80`);
  });

  it('twice as many sibling bases read, parse, copy and look at ids at most twice as much', () => {
    const short = workOf(siblings(50));
    const long = workOf(siblings(100));
    assert.equal(long.objects, 100);
    for (const k of ['reads', 'parses', 'copies', 'ids'] as const) assert.ok(long[k] <= 2 * short[k] + 2, `${k}: ${short[k]} for 50, ${long[k]} for 100`);
  });
});
