/**
 * promoteOverlays: versions carried between paired overlays wherever the overlay's files write
 * them: `images:`, a container's image, a HelmRelease's chart version, and for a HelmRelease on
 * `chartRef` its OCIRepository's ref or HelmChart's version, the Flux version of a FluxInstance or
 * of the flux-instance chart's values; in files and in the inline patch
 * strings of the kustomization (strategic merge and JSON 6902), edited inside the block with
 * their comments kept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TREE_CATEGORIES, type TreeCategory } from '../../src/promote/categories.js';
import { promoteOverlays, type OverlayFiles } from '../../src/promote/tree.js';
import { fluxInstance } from '../support/flux-instance.js';

const ALL = new Set<TreeCategory>(TREE_CATEGORIES);

/** The edits of promoting one overlay into another, by file; and the notes. */
function promote(from: Record<string, string>, to: Record<string, string>, categories: ReadonlySet<TreeCategory> = ALL): { files: Record<string, string>; notes: string[] } {
  const overlay = (name: string, files: Record<string, string>): OverlayFiles => ({ name, files: new Map(Object.entries(files)) });
  const result = promoteOverlays({ name: 'staging', overlays: [overlay('staging', from)] }, { name: 'prod', overlays: [overlay('prod', to)] }, categories);
  return { files: Object.fromEntries(result.edits.map((e) => [e.file, e.after])), notes: result.notes };
}

/** A kustomization whose inline patches set a HelmRelease's chart version (strategic merge) and a container's image, as flux2-style overlays do. */
const inlinePatches = (chart: string, tag: string, comment = '# the release'): string => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  # the chart this environment runs
  - patch: |
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: podinfo
      spec:
        chart:
          spec:
            version: "${chart}"   ${comment}
    target:
      kind: HelmRelease
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/web:${tag}
`;

/** A kustomization with JSON 6902 patch strings. */
const jsonPatches = (chart: string, retention: string): string => `resources:
  - ../base
patches:
  - patch: |
      - op: replace
        path: /spec/chart/spec/version
        value: ${chart}   # pinned
      - op: replace
        path: /spec/values/retention
        value: ${retention}
    target:
      kind: HelmRelease
      name: kube-prometheus-stack
`;

/** An OCIRepository a HelmRelease on chartRef takes its chart from, and that HelmRelease. */
const chartRef = (tag: string): string => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: cert-manager-chart
spec:
  url: oci://quay.io/jetstack/charts/cert-manager
  ref:
    tag: ${tag} # the chart
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cert-manager
spec:
  chartRef:
    kind: OCIRepository
    name: cert-manager-chart
`;

describe('promoteOverlays: versions in inline patches and chartRef sources', () => {
  it('carries a chart version and an image tag set in strategic-merge patch strings, keeping every other byte', () => {
    const { files, notes } = promote({ 'kustomization.yaml': inlinePatches('6.8.0', '1.3.0', '# staging') }, { 'kustomization.yaml': inlinePatches('6.7.1', '1.2.0') });
    assert.equal(files['kustomization.yaml'], inlinePatches('6.8.0', '1.3.0'));
    assert.deepEqual(notes, []);
  });

  it('--only charts leaves images alone, --only images charts', () => {
    const from = { 'kustomization.yaml': inlinePatches('6.8.0', '1.3.0') };
    const to = { 'kustomization.yaml': inlinePatches('6.7.1', '1.2.0') };
    assert.equal(promote(from, to, new Set(['charts'])).files['kustomization.yaml'], inlinePatches('6.8.0', '1.2.0'));
    assert.equal(promote(from, to, new Set(['images'])).files['kustomization.yaml'], inlinePatches('6.7.1', '1.3.0'));
  });

  it('carries a chart version a JSON 6902 patch string sets in the HelmRelease its target names, and nothing else of it', () => {
    const { files } = promote({ 'kustomization.yaml': jsonPatches('66.1.0', '24h') }, { 'kustomization.yaml': jsonPatches('65.0.0', '48h') });
    assert.equal(files['kustomization.yaml'], jsonPatches('66.1.0', '48h'));
  });

  it('a HelmRelease on chartRef: the OCIRepository it names gets the ref tag; in a file or a patch string', () => {
    const { files } = promote({ 'cert-manager.yaml': chartRef('v1.20.2') }, { 'cert-manager.yaml': chartRef('v1.19.0') });
    assert.equal(files['cert-manager.yaml'], chartRef('v1.20.2'));
    const patch = (tag: string): string => `resources:\n  - ../base\npatches:\n  - patch: |\n      apiVersion: source.toolkit.fluxcd.io/v1\n      kind: OCIRepository\n      metadata:\n        name: cert-manager-chart\n      spec:\n        ref:\n          semver: "${tag}"\n`;
    assert.equal(promote({ 'kustomization.yaml': patch('>=1.20.0') }, { 'kustomization.yaml': patch('>=1.19.0') }).files['kustomization.yaml'], patch('>=1.20.0'));
  });

  it('a HelmChart gets its spec.version', () => {
    const chart = (v: string): string => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata:\n  name: podinfo\nspec:\n  chart: podinfo\n  version: ${v}\n  sourceRef: {kind: HelmRepository, name: podinfo}\n`;
    assert.equal(promote({ 'chart.yaml': chart('6.8.0') }, { 'chart.yaml': chart('6.7.0') }).files['chart.yaml'], chart('6.8.0'));
  });

  it('a version the target sets nowhere is a note; a patch string that is not a literal block is a note, not an edit', () => {
    const { files, notes } = promote({ 'kustomization.yaml': jsonPatches('66.1.0', '24h') }, { 'kustomization.yaml': 'resources:\n  - ../base\n' });
    assert.deepEqual(files, {});
    assert.deepEqual(notes, ['prod/prod: no HelmRelease kube-prometheus-stack spec.chart.spec.version to carry 66.1.0 into']);
    const quoted = (v: string): string => `patches:\n  - patch: "- op: replace\\n  path: /spec/chart/spec/version\\n  value: ${v}\\n"\n    target: {kind: HelmRelease, name: kube-prometheus-stack}\n`;
    const folded = promote({ 'kustomization.yaml': jsonPatches('66.1.0', '24h') }, { 'kustomization.yaml': quoted('65.0.0') });
    assert.deepEqual(folded.files, {});
    assert.deepEqual(folded.notes, ['prod/prod: kustomization.yaml: the patch holding HelmRelease kube-prometheus-stack spec.chart.spec.version is not a literal block (|); not edited']);
  });

  describe("the Flux version a FluxInstance installs (Flux Operator's spec.distribution.version)", () => {
    it('is carried in a FluxInstance file, its sync path (what makes each cluster itself) left alone; only with flux selected', () => {
      const from = { 'flux-system/flux-instance.yaml': fluxInstance('2.7.x', 'staging') };
      const to = { 'flux-system/flux-instance.yaml': fluxInstance('2.6.x', 'prod') };
      const { files, notes } = promote(from, to);
      assert.deepEqual(files, { 'flux-system/flux-instance.yaml': fluxInstance('2.7.x', 'prod') });
      assert.deepEqual(notes, []);
      assert.deepEqual(promote(from, to, new Set(['charts', 'images'])).files, {});
      assert.deepEqual(promote(from, to, new Set(['flux'])).files, files);
    });

    it('is carried where an environment patches it (a JSON 6902 patch string), and in the flux-instance chart values', () => {
      const patched = (version: string): string => `resources:\n  - ../base\npatches:\n  - target: {kind: FluxInstance, name: flux}\n    patch: |\n      - op: replace\n        path: /spec/distribution/version\n        value: "${version}"\n`;
      assert.equal(promote({ 'kustomization.yaml': patched('2.7.x') }, { 'kustomization.yaml': patched('2.6.x') }).files['kustomization.yaml'], patched('2.7.x'));
      const chart = (chartVersion: string, version: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: flux
spec:
  chart:
    spec: {chart: flux-instance, version: "${chartVersion}", sourceRef: {kind: HelmRepository, name: controlplaneio}}
  values:
    instance:
      distribution:
        version: "${version}"
`;
      assert.equal(promote({ 'flux.yaml': chart('0.30.0', '2.7.x') }, { 'flux.yaml': chart('0.28.0', '2.6.x') }, new Set(['flux'])).files['flux.yaml'], chart('0.28.0', '2.7.x'));
    });
  });

  it('an image the target pins in images: instead of a patch is not a note', () => {
    const to = 'resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.2.0\n';
    const { notes } = promote({ 'kustomization.yaml': inlinePatches('6.8.0', '1.3.0') }, { 'kustomization.yaml': to }, new Set(['images']));
    assert.deepEqual(notes, []);
  });
});
