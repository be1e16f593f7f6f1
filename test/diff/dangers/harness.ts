import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Danger } from '../../../src/diff/dangers/danger.js';
import { DANGERS } from '../../../src/diff/dangers/index.js';
import { diffClusters, type ClusterInput } from '../../../src/diff/report.js';
import { bundledCatalog } from '../../../src/schemas/catalog.js';
import { objects } from '../objects.js';

const catalog = bundledCatalog();

/** One row of a danger's table: the two sides of one cluster, and the findings expected as `cluster object path`. */
export interface DangerCase {
  name: string;
  from: string;
  to: string;
  expected: string[];
  message?: RegExp;
  /** The cluster is applied without prune (default: with). */
  unpruned?: boolean;
  /** The same change in this many clusters (default 1). */
  clusters?: number;
}

/** The shared harness: every danger runs its table of harmless and harmful changes through the whole diff here. */
export function dangerTable(danger: Danger, cases: DangerCase[]): void {
  describe(`danger ${danger.meta.id}`, () => {
    it('has metadata and is registered', () => {
      assert.match(danger.meta.id, /^[a-z0-9]+\/[a-z0-9-]+$/);
      assert.ok(danger.meta.doc.length > 10);
      assert.ok(DANGERS.includes(danger));
    });
    for (const c of cases) {
      it(c.name, () => {
        const clusters = Array.from({ length: c.clusters ?? 1 }, (_, i): ClusterInput => ({ name: `c${i}`, from: objects(c.from), to: objects(c.to), pruned: !c.unpruned }));
        const report = diffClusters({ from: 'a', to: 'b' }, clusters, [], { dangers: [danger], catalog });
        assert.deepEqual(
          report.dangers.map((d) => [d.cluster ?? '', d.resource?.name ?? '', d.path ?? ''].join(' ').trim()),
          c.expected,
        );
        for (const d of report.dangers) {
          assert.equal(d.id, danger.meta.id);
          if (c.message) assert.match(d.message, c.message);
        }
      });
    }
  });
}
