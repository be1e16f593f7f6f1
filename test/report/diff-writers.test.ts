import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffClusters, type ClusterInput } from '../../src/diff/report.js';
import type { JsonObject } from '../../src/json/value.js';
import { DIFF_OUTPUT_FORMATS, DIFF_WRITERS } from '../../src/report/diff/index.js';
import { MARKDOWN_BUDGET } from '../../src/report/markdown.js';
import { objects } from '../diff/objects.js';

const secret = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: apps}\nstringData: {password: ${password}}\n---\n`;
const release = (name: string, version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: fleet}
spec: {interval: 10m, chart: {spec: {chart: ingress-nginx, version: "${version}"}}}
---
`;

const report = diffClusters({ from: 'staging', to: 'prod' }, [
  { name: 'eu-1', from: objects(secret('s3cr3t-old') + release('ingress', '4.11.3')), to: objects(secret('s3cr3t-new') + release('ingress', '5.0.0')) },
  { name: 'eu-2', from: objects(release('ingress', '4.11.3')), to: objects(release('ingress', '4.11.3')) },
], [{ path: 'kubernetesVersion', from: 'v1.33.4', to: 'v1.32.6' }]);

describe('diff writers', () => {
  for (const format of DIFF_OUTPUT_FORMATS) {
    it(`${format}: never prints a Secret's values, and shows that one changed`, () => {
      const out = DIFF_WRITERS[format].render(report, { color: false });
      assert.ok(!out.includes('s3cr3t'), out);
      assert.match(out, /masked, changed/);
      assert.match(out, /v1\.33\.4/);
      assert.match(out, /helm\/major-bump/);
    });
  }

  it('text: the summary and dangers first, then colored diffs; no color codes when colors are off', () => {
    const plain = DIFF_WRITERS.text.render(report, { color: false });
    const lines = plain.split('\n');
    assert.equal(lines[0], 'capifleet diff staging → prod');
    assert.equal(lines[1], '1 of 2 clusters changed: 0 resources added, 2 changed, 0 removed; dangers: 1 warning');
    assert.ok(plain.indexOf('Dangers') < plain.indexOf('cluster eu-1'));
    assert.match(plain, /^-.*version: 4\.11\.3$/m);
    assert.match(plain, /^\+.*version: 5\.0\.0$/m);
    assert.ok(!plain.includes('\x1b['));
    assert.match(DIFF_WRITERS.text.render(report, { color: true }), /\x1b\[32m\+.*5\.0\.0/);
  });

  it('json: the documented shape', () => {
    const out = JSON.parse(DIFF_WRITERS.json.render(report, { color: false })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['apiVersion', 'from', 'to', 'summary', 'settings', 'dangers', 'clusters']);
    assert.equal(out.apiVersion, 'capifleet.io/diff/v1');
    const clusters = out.clusters as { name: string; status: string; resources: { kind: string; change: string; fields: { path: string; masked?: boolean }[] }[] }[];
    assert.deepEqual(clusters.map((c) => `${c.name} ${c.status}`), ['eu-1 changed', 'eu-2 unchanged']);
    assert.deepEqual(clusters[0]!.resources.map((r) => `${r.kind} ${r.change} ${r.fields.map((f) => `${f.path}${f.masked ? ' (masked)' : ''}`).join(',')}`), [
      'Secret changed stringData.password (masked)',
      'HelmRelease changed spec.chart.spec.version',
    ]);
  });

  it('markdown: nothing user-controlled breaks a table, a summary or a code block', () => {
    const hostile = 'x|y`z</summary></details><b>';
    const r = diffClusters({ from: 'a|b', to: '`c`' }, [
      { name: hostile, from: objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {k: "```\\n|"}\n'), to: objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {k: "````"}\n') },
    ]);
    const out = DIFF_WRITERS.markdown.render(r, { color: false });
    // in a code span HTML is text
    assert.match(out, /<summary>x\|y`z&lt;\/summary&gt;&lt;\/details&gt;&lt;b&gt;: 1 changed<\/summary>/);
    assert.match(out, /\| `x\\\|y'z<\/summary><\/details><b>` \| changed \|/);
    // the fence is longer than any run of backticks in the diff
    assert.match(out, /^`````diff$/m);
  });

  it('markdown: a change to every cluster of a 1000-cluster fleet stays within the budget, and says what was cut', () => {
    const cluster = (i: number, version: string): JsonObject[] =>
      objects(
        release(`cluster-${i}-ingress`, version) +
          `apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: cluster-${i}-md, namespace: fleet}\nspec: {clusterName: cluster-${i}, template: {spec: {clusterName: cluster-${i}, version: ${version === '4.11.3' ? 'v1.31.2' : 'v1.33.0'}}}}\n`,
      );
    const clusters: ClusterInput[] = Array.from({ length: 1000 }, (_, i) => ({ name: `cluster-${String(i).padStart(4, '0')}`, from: cluster(i, '4.11.3'), to: cluster(i, '5.0.0') }));
    const big = diffClusters({ from: 'main', to: 'pr' }, clusters);
    assert.equal(big.summary.clustersChanged, 1000);
    const out = DIFF_WRITERS.markdown.render(big, { color: false });
    assert.ok(out.length < MARKDOWN_BUDGET, `${out.length} characters`);
    assert.match(out, /_Cut to stay within GitHub's comment limit: 900 more rows of the cluster table: `cluster-0100`, .* and 880 more; the diffs of \d+ clusters: `cluster-0\d+`/);
    assert.match(out, /\| ❌ \| `capi\/version-jump` \| 1000 × in `cluster-0000`, `cluster-0001`, `cluster-0002`, `cluster-0003`, `cluster-0004` and 995 more \| cluster-0000: MachineDeployment fleet\/cluster-0-md: Kubernetes v1\.31\.2 → v1\.33\.0 skips 1 minor version \|/);
    assert.match(out, /\| ℹ️ \| `fleet\/many-clusters` \| 1 × fleet-wide \| 1000 of 1000 clusters change at once \|/);
    assert.match(out, /<details>\n<summary>cluster-0000: 2 changed<\/summary>/);
  });
});
