import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPlan } from '../../src/report/generate-plan.js';
import type { PlanEntry } from '../../src/generate/plan.js';

const entries: PlanEntry[] = [
  { path: 'base/a.yaml', action: 'unchanged', current: 'a\n' },
  { path: 'base/b.yaml', action: 'create', content: 'b\n' },
  { path: 'base/c.yaml', action: 'update', current: 'c: 1\n', content: 'c: 2\n' },
  { path: 'overlays/d.yaml', action: 'conflict', handEdit: 'edited', current: 'd\n' },
  { path: 'overlays/e.yaml', action: 'stale', current: 'e\n' },
  { path: 'overlays/f.yaml', action: 'update', handEdit: 'hand-written', current: 'f\n', content: 'F\n' },
];

describe('formatPlan', () => {
  it('a writing run names only what needs a person, then the summary', () => {
    assert.equal(
      formatPlan(entries, 'write', false),
      [
        'conflict  overlays/d.yaml: edited by hand since it was generated; kept (use --force to remove)',
        'stale     overlays/e.yaml: no longer generated; kept (use --prune to remove)',
        'update    overlays/f.yaml: not written by capifleet; overwritten by --force',
        'generate: 1 created, 2 updated, 0 removed, 1 unchanged, 1 stale, 1 conflict',
        '',
      ].join('\n'),
    );
  });

  it('--dry-run names every change with a diff of each update', () => {
    const out = formatPlan(entries, 'dry-run', false);
    assert.match(out, /^create    base\/b\.yaml\nupdate    base\/c\.yaml\n--- a\/base\/c\.yaml\n\+\+\+ b\/base\/c\.yaml\n@@ -1,1 \+1,1 @@\n-c: 1\n\+c: 2\nconflict  /);
    assert.match(out, /\ngenerate --dry-run: 1 to create, 2 to update, 0 to remove, 1 unchanged, 1 stale, 1 conflict; nothing written\n$/);
    assert.doesNotMatch(out, /base\/a\.yaml/);
  });

  it('--check lists without diffs, or says the tree is current', () => {
    assert.doesNotMatch(formatPlan(entries, 'check', false), /^@@/m);
    assert.match(formatPlan(entries, 'check', false), /the tree differs from the spec: 1 to create/);
    assert.equal(formatPlan(entries.slice(0, 1), 'check', false), 'generate --check: the tree is current (1 file)\n');
  });

  it('colors labels and diff lines only when asked', () => {
    assert.match(formatPlan(entries, 'dry-run', true), /\x1b\[32mcreate +\x1b\[0mbase\/b\.yaml\n[^]*\x1b\[31m-c: 1\x1b\[0m/);
    assert.doesNotMatch(formatPlan(entries, 'dry-run', false), /\x1b/);
  });
});
