import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundledCatalog, KindOverrides } from '../../src/schemas/catalog.js';
import { fluxOperatorEntries } from '../../src/schemas/flux-operator.js';
import { appliedCrdEntries } from '../../src/schemas/repository-crds.js';
import { parseDocuments } from '../../src/yaml/parse.js';

const crdYaml = (versions: string): string =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: helmreleases.helm.toolkit.fluxcd.io\nspec:\n  group: helm.toolkit.fluxcd.io\n  names: {kind: HelmRelease, plural: helmreleases}\n  scope: Namespaced\n  versions:\n${versions}`;
const version = (name: string, served = true): string => `  - {name: ${name}, served: ${served}, storage: false, schema: {openAPIV3Schema: {type: object}}}\n`;
const crd = (text: string) => parseDocuments(text, 'gotk-components.yaml')[0]!.value;

describe('appliedCrdEntries', () => {
  it('gives an entry per served version, naming the CRD and where it lies', () => {
    const entries = appliedCrdEntries([{ value: crd(crdYaml(version('v2beta2') + version('v2beta1', false))), file: '/repo/gotk-components.yaml', line: 7 }]);
    assert.deepEqual(entries.map((e) => [e.apiVersion, e.kind, e.crd]), [['helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease', { name: 'helmreleases.helm.toolkit.fluxcd.io', file: '/repo/gotk-components.yaml', line: 7 }]]);
  });

  it('gives nothing for a CRD that does not convert', () => {
    assert.deepEqual(appliedCrdEntries([{ value: crd(crdYaml('  - {name: v1, served: true}\n')) }]), []);
  });
});

describe('KindOverrides', () => {
  const base = bundledCatalog();
  const pinned = new KindOverrides(base, appliedCrdEntries([{ value: crd(crdYaml(version('v2beta2'))) }]));

  it('serves exactly the given versions of an overridden kind, and every other kind as its base', () => {
    assert.deepEqual(pinned.versionsOf('helm.toolkit.fluxcd.io', 'HelmRelease'), ['v2beta2']);
    assert.equal(pinned.lookup('helm.toolkit.fluxcd.io/v2', 'HelmRelease'), undefined);
    assert.ok(pinned.lookup('helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease')?.crd);
    assert.equal(pinned.lookup('v1', 'ConfigMap'), base.lookup('v1', 'ConfigMap'));
    assert.equal(pinned.overrides('helm.toolkit.fluxcd.io', 'HelmRelease'), true);
    assert.equal(pinned.overrides('', 'ConfigMap'), false);
    assert.deepEqual(pinned.releases(), base.releases());
  });

  it("adds Flux Operator's kinds to every Alert version's event sources, as a schema of its own", () => {
    const [alert] = fluxOperatorEntries(base);
    const bundledAlert = base.lookup(alert!.apiVersion, 'Alert')!;
    const kinds = (schema: object): unknown => (schema as { properties: { spec: { properties: { eventSources: { items: { properties: { kind: { enum: string[] } } } } } } } }).properties.spec.properties.eventSources.items.properties.kind.enum;
    assert.deepEqual(kinds(alert!.schema), [...(kinds(bundledAlert.schema) as string[]), 'FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']);
    assert.notEqual(alert!.hash, bundledAlert.hash);
    // the bundled schema itself is left as it is
    assert.ok(!(kinds(bundledAlert.schema) as string[]).includes('FluxInstance'));
    assert.equal(fluxOperatorEntries(base)[0], alert, 'patched once');
  });
});
