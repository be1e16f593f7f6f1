/**
 * Promote's writers over a promotion into every cluster of a 1000-cluster fleet: the markdown
 * stays one pull-request comment (GitHub's 65,536 characters), counting and naming what it cut in
 * its edits, notes, diff and validation; nothing user-controlled breaks it; no output prints a
 * Secret's values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffClusters, type ClusterInput } from '../../src/diff/report.js';
import type { JsonObject } from '../../src/json/value.js';
import { MARKDOWN_BUDGET } from '../../src/report/markdown.js';
import { PROMOTE_OUTPUT_FORMATS, PROMOTE_WRITERS } from '../../src/report/promote/index.js';
import type { FileEdit, PromoteReport } from '../../src/report/promote/writer.js';
import type { Finding } from '../../src/validate/finding.js';
import { objects } from '../diff/objects.js';

const CLUSTERS = 1000;
const name = (i: number): string => `prod-${String(i).padStart(4, '0')}`;

function cluster(i: number, version: string, password: string): JsonObject[] {
  return objects(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ingress, namespace: ${name(i)}}
spec: {interval: 10m, chart: {spec: {chart: ingress-nginx, version: "${version}"}}}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: ${name(i)}}
stringData: {password: ${password}}
`);
}

function kustomization(tag: string): string {
  const filler = Array.from({ length: 30 }, (_, k) => `- name: ghcr.io/acme/tool-${k}\n  newTag: 1.0.${k}\n`).join('');
  return `resources:\n- ../../../base\nimages:\n- name: ghcr.io/acme/web\n  newTag: ${tag}   # the release\n${filler}`;
}

function largePromotion(): PromoteReport {
  const clusters: ClusterInput[] = Array.from({ length: CLUSTERS }, (_, i) => ({ name: name(i), from: cluster(i, '4.11.3', 's3cr3t-old'), to: cluster(i, '5.0.0', 's3cr3t-new') }));
  const edits: FileEdit[] = Array.from({ length: CLUSTERS }, (_, i) => ({ file: `overlays/prod/${name(i)}/kustomization.yaml`, before: kustomization('1.2.0'), after: kustomization('1.3.0') }));
  const findings: Finding[] = Array.from({ length: CLUSTERS }, (_, i) => ({
    ruleId: 'schema/missing',
    severity: 'warning',
    message: `no schema for example.com/v1 Widget ${'long '.repeat(20)}`,
    overlay: `overlays/prod/${name(i)}`,
    resource: { apiVersion: 'example.com/v1', kind: 'Widget', name: `widget-${i}` },
  }));
  return {
    from: 'staging',
    to: 'prod',
    edits,
    regenerated: false,
    notes: Array.from({ length: CLUSTERS }, (_, i) => `staging/staging-${i}: no overlay in prod for it (paired by the name after the environment's)`),
    diff: diffClusters({ from: 'prod now', to: 'prod promoted' }, clusters, []),
    validation: { tool: { name: 'capifleet', version: '0' }, units: [], findings, rules: [] },
    outcome: 'dry-run',
  };
}

describe('promote writers', () => {
  const report = largePromotion();

  it('markdown: a promotion into every cluster of a 1000-cluster fleet stays within the comment limit, and says what was cut', () => {
    const out = PROMOTE_WRITERS.markdown.render(report, { color: false, cwd: process.cwd() });
    assert.ok(out.length <= MARKDOWN_BUDGET, `${out.length} characters`);
    // every part is there: edits, notes, the diff with its dangers, the validation, the outcome
    assert.match(out, /^\+ {2}newTag: 1\.3\.0 {3}# the release$/m);
    assert.match(out, /_Cut to stay within GitHub's comment limit: the edits of \d+ more files: `overlays\/prod\/prod-0\d+\/kustomization\.yaml`, .* and \d+ more\. Run `capifleet promote` locally for all of them\._/);
    assert.match(out, /^- _and \d+ more notes, cut to stay within GitHub's comment limit_$/m);
    assert.match(out, /\| ⚠️ \| `helm\/major-bump` \| 1000 × in `prod-0000`/);
    assert.match(out, /_Cut to stay within GitHub's comment limit: \d+ more rows of the cluster table/);
    assert.match(out, /^### Validation$/m);
    assert.match(out, /_…and \d+ more; run `capifleet validate` locally for the full list\._/);
    assert.match(out, /`promote: dry run, nothing written; run with --write to edit overlays\/prod\/prod-0000\/kustomization\.yaml, .* and 990 more files`\n$/);
  });

  it('markdown: one edit too long for its share shows its first lines and counts the rest', () => {
    const huge = Array.from({ length: 5000 }, (_, k) => `- name: ghcr.io/acme/tool-${k}\n  newTag: 1.0.${k}\n`).join('');
    const one = { ...report, edits: [{ file: 'overlays/prod/kustomization.yaml', before: `images:\n${huge}`, after: `images:\n${huge.replace(/newTag: 1\.0\./g, 'newTag: 1.1.')}` }] };
    const out = PROMOTE_WRITERS.markdown.render(one, { color: false, cwd: process.cwd() });
    assert.ok(out.length <= MARKDOWN_BUDGET, `${out.length} characters`);
    assert.match(out, /^\+ {2}newTag: 1\.1\.0$/m);
    assert.match(out, /_Cut to stay within GitHub's comment limit: \d+ more lines of the edit of `overlays\/prod\/kustomization\.yaml`\._/);
  });

  it('markdown: nothing user-controlled breaks it (file names, notes, backticks in an edit)', () => {
    const hostile = 'x`y\n\n# z</details>|';
    const small: PromoteReport = {
      ...report,
      from: hostile,
      edits: [{ file: hostile, before: 'a: "```"\n', after: 'a: "````"\n' }],
      notes: [hostile],
      diff: diffClusters({ from: 'a', to: 'b' }, [], []),
      validation: { ...report.validation, findings: [] },
    };
    const out = PROMOTE_WRITERS.markdown.render(small, { color: false, cwd: process.cwd() });
    assert.match(out, /^## capifleet promote `x'y  # z<\/details>\|` → `prod`$/m);
    assert.match(out, /^- `x'y  # z<\/details>\|`$/m);
    assert.match(out, /^`````diff$/m);
    assert.doesNotMatch(out, /^# z/m);
  });

  /** Edits whose lines sit beside secrets: a secretGenerator's literals before `images:`, a Secret before a HelmRelease in one file. */
  const besideSecrets: FileEdit[] = [
    {
      file: 'overlays/prod/kustomization.yaml',
      before: 'secretGenerator:\n  - name: creds\n    literals:\n      - password=s3cr3t-literal\nimages:\n  - name: web\n    newTag: 1.2.0\n',
      after: 'secretGenerator:\n  - name: creds\n    literals:\n      - password=s3cr3t-literal\nimages:\n  - name: web\n    newTag: 1.3.0\n',
    },
    {
      file: 'overlays/prod/release.yaml',
      before: 'kind: Secret\nstringData:\n  token: s3cr3t-token\ndata: {key: czNjcjN0}\n---\nkind: HelmRelease\nspec: {chart: {spec: {version: 1.0.0}}}\n',
      after: 'kind: Secret\nstringData:\n  token: s3cr3t-token\ndata: {key: czNjcjN0}\n---\nkind: HelmRelease\nspec: {chart: {spec: {version: 1.1.0}}}\n',
    },
  ];

  for (const format of PROMOTE_OUTPUT_FORMATS) {
    it(`${format}: never prints a Secret's values, in the diff or beside an edit`, () => {
      const out = PROMOTE_WRITERS[format].render({ ...report, edits: [...besideSecrets, ...report.edits.slice(0, 2)] }, { color: false, cwd: process.cwd() });
      assert.ok(!out.includes('s3cr3t') && !out.includes('czNjcjN0'), out.slice(0, 3000));
      assert.match(out, /masked, changed/);
      assert.match(out, /password=\(masked\)/);
      assert.match(out, /token: \(masked\)/);
      assert.match(out, /newTag: 1\.3\.0/);
    });
  }
});
