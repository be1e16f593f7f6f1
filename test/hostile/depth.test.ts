/*
 * YAML nested deeper than the calling thread's stack reads goes to a worker thread with a deep
 * stack, so these run the CLI: what go-yaml refuses beyond its 10,000 levels is refused with the
 * line it names (the differential cases check that kubectl refuses too, and the output below it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { tempTree } from '../support/files.js';
import { cliPath } from '../support/paths.js';

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
/** Block sequences nested one past go-yaml's limit, on one line. */
const TOO_DEEP = `${'- '.repeat(10_001)}x\n`;

function render(files: Record<string, string>): { status: number | null; stderr: string } {
  const root = tempTree('depth', files);
  const r = spawnSync(process.execPath, [cliPath, 'render', '.'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stderr: r.stderr };
}

describe("block nesting beyond go-yaml's limit", () => {
  it('in a resource: the line of the last token that could have been a key, as go-yaml v3 names it', () => {
    const r = render({ 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': `${CONFIGMAP}data:\n  k: v\nspec:\n  a:\n\n  ${TOO_DEEP}` });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'capifleet: r.yaml:8: invalid YAML: exceeded max depth of 10000\n');
  });
  it('in a kustomization: the line where the collection starts, as go-yaml v2 names it', () => {
    const r = render({ 'kustomization.yaml': `resources:\n- r.yaml\nlabels:\n\n  ${TOO_DEEP}`, 'r.yaml': CONFIGMAP });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'capifleet: kustomization.yaml:5: invalid YAML: exceeded max depth of 10000\n');
  });
});
