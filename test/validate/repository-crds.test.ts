import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempTree } from '../support/files.js';
import { validateRepository } from './repository-support.js';

/** A CRD of our own: one kind, its versions each with a spec of the given properties (no other field). */
function crd(group: string, kind: string, versions: { name: string; served?: boolean; spec: string; required?: string[] }[]): string {
  const plural = `${kind.toLowerCase()}s`;
  const lines = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${plural}.${group}`,
    'spec:',
    `  group: ${group}`,
    '  names:',
    `    kind: ${kind}`,
    `    plural: ${plural}`,
    '  scope: Namespaced',
    '  versions:',
  ];
  for (const v of versions) {
    lines.push(
      `  - name: ${v.name}`,
      `    served: ${v.served ?? true}`,
      `    storage: ${v === versions[0]}`,
      '    schema:',
      '      openAPIV3Schema:',
      '        type: object',
      '        properties:',
      '          spec:',
      '            type: object',
      ...(v.required ? [`            required: [${v.required.join(', ')}]`] : []),
      '            properties:',
      ...v.spec.split('\n').map((l) => `              ${l}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

const fluxKs = (name: string, spec: string): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;

const helmRelease = (apiVersion: string, name: string, extra = ''): string =>
  `apiVersion: ${apiVersion}\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: ${name}\n${extra}`;

/** The HelmRelease CRD of an older Flux, as `flux bootstrap` of that release commits it (our own minimal one). */
const OLD_FLUX_HELM_CRD = crd('helm.toolkit.fluxcd.io', 'HelmRelease', [
  { name: 'v2beta2', spec: 'interval: {type: string}\nchart:\n  type: object\n  x-kubernetes-preserve-unknown-fields: true\ntimeout: {type: string}', required: ['interval'] },
  { name: 'v2beta1', spec: 'interval: {type: string}\nchart:\n  type: object\n  x-kubernetes-preserve-unknown-fields: true', required: ['interval'] },
]);

describe('CRDs a cluster applies serve as the schemas of its objects', () => {
  /** flux2-example shape: each cluster bootstrapped, one pinning an older Flux by committing its gotk-components.yaml. */
  const repository = (): string =>
    tempTree('repo-crds', {
      'clusters/pinned/flux-system/gotk-components.yaml': OLD_FLUX_HELM_CRD,
      'clusters/pinned/flux-system/gotk-sync.yaml': fluxKs('flux-system', '  path: ./clusters/pinned\n'),
      'clusters/pinned/flux-system/kustomization.yaml': 'resources: [gotk-components.yaml, gotk-sync.yaml]\n',
      'clusters/pinned/apps.yaml': fluxKs('apps', '  path: ./apps/pinned\n'),
      'clusters/pinned/crds.yaml': fluxKs('crds', '  path: ./infrastructure/crds\n'),
      'infrastructure/crds/widgets.yaml': crd('example.com', 'Widget', [{ name: 'v1', spec: 'size: {type: integer}', required: ['size'] }]),
      'apps/pinned/podinfo.yaml': helmRelease('helm.toolkit.fluxcd.io/v2beta1', 'podinfo'),
      'apps/pinned/redis.yaml': helmRelease('helm.toolkit.fluxcd.io/v2beta2', 'redis', '  timeout: 5m\n  bogus: true\n'),
      'apps/pinned/nginx.yaml': helmRelease('helm.toolkit.fluxcd.io/v2', 'nginx'),
      'apps/pinned/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  size: big\n',
      'clusters/current/flux-system/gotk-sync.yaml': fluxKs('flux-system', '  path: ./clusters/current\n'),
      'clusters/current/apps.yaml': fluxKs('apps', '  path: ./apps/current\n'),
      'apps/current/podinfo.yaml': helmRelease('helm.toolkit.fluxcd.io/v2beta1', 'podinfo'),
      'apps/current/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  size: big\n',
    });

  it("checks a cluster's objects against its own CRDs, its versions winning over the bundled ones", async () => {
    const findings = (await validateRepository(repository())).filter((f) => f.startsWith('schema/'));
    assert.deepEqual(findings.sort(), [
      // current: nothing defines the Widget, and the bundled Flux 2.9 decides
      "schema/missing apps/current/widget.yaml:1 no schema for example.com/v1 Widget; import its CRD with 'capifleet schemas import'",
      'schema/removed-version apps/current/podinfo.yaml:1 helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served by Flux 2.9 (bundled schemas); use helm.toolkit.fluxcd.io/v2',
      // pinned: v2beta1 and v2beta2 are served by its CRD and checked against it; v2 is not served there
      'schema/removed-version apps/pinned/nginx.yaml:1 helm.toolkit.fluxcd.io/v2 HelmRelease is not served by the CustomResourceDefinition helmreleases.helm.toolkit.fluxcd.io at clusters/pinned/flux-system/gotk-components.yaml:1; use helm.toolkit.fluxcd.io/v2beta2',
      'schema/type apps/pinned/widget.yaml:7 spec.size: expected integer, got string "big"',
      'schema/unknown-field apps/pinned/redis.yaml:12 unknown field "spec.bogus"',
    ]);
  });

  /** A folder of manifests no Flux applies: the CRD in one file serves the objects of the others. */
  const plainFolder = (required: string[]): string =>
    tempTree('repo-crds-plain', {
      'manifests/crd.yaml': crd('example.com', 'Gadget', [{ name: 'v1alpha1', spec: 'size: {type: integer}\ncolor: {type: string}', required }]),
      'manifests/gadget.yaml': 'apiVersion: example.com/v1alpha1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  size: 3\n',
    });

  it('outside the graph, a CRD serves the objects checked in the same set', async () => {
    assert.deepEqual((await validateRepository(plainFolder([]))).filter((f) => f.startsWith('schema/')), []);
    assert.deepEqual((await validateRepository(plainFolder(['color']))).filter((f) => f.startsWith('schema/')), ['schema/required-field manifests/gadget.yaml:5 missing required field "spec.color"']);
  });

  for (const shape of ['a set of manifest files', 'a kustomization'] as const) {
    it(`the result cache serves ${shape} again only while its CRDs are the same`, async () => {
      const root = plainFolder([]);
      if (shape === 'a kustomization') fs.writeFileSync(path.join(root, 'manifests/kustomization.yaml'), 'resources: [crd.yaml, gadget.yaml]\n');
      await cachedRunsFollowTheCrd(root);
    });
  }

  async function cachedRunsFollowTheCrd(root: string): Promise<void> {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-crd-cache-'));
    assert.deepEqual(await validateRepository(root, cacheDir), []);
    assert.deepEqual(await validateRepository(root, cacheDir), []);
    // the gadget's own file is unchanged: its findings must not come back from the cache
    fs.writeFileSync(path.join(root, 'manifests/crd.yaml'), crd('example.com', 'Gadget', [{ name: 'v1alpha1', spec: 'size: {type: string}', required: [] }]));
    assert.deepEqual(await validateRepository(root, cacheDir), ['schema/type manifests/gadget.yaml:6 spec.size: expected string, got integer 3']);
  }
});
