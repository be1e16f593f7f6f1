import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTransformerConfig } from '../../../src/engine/config/defaults.js';
import type { NameBackReferences } from '../../../src/engine/config/name-reference.js';
import {
  emptyTransformerConfig,
  mergeFieldSpecs,
  mergeNameReferences,
  mergeTransformerConfigs,
} from '../../../src/engine/config/transformer-config.js';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';

describe('mergeFieldSpecs', () => {
  const any: FieldSpec = { path: 'metadata/labels', create: true };
  const dep: FieldSpec = { path: 'spec/x', kind: 'Deployment', create: true };
  const cases: { name: string; base: FieldSpec[]; incoming: FieldSpec[]; expected: FieldSpec[] }[] = [
    { name: 'appends new specs in order', base: [any], incoming: [dep], expected: [any, dep] },
    { name: 'drops exact duplicates', base: [any, dep], incoming: [dep, any], expected: [any, dep] },
    { name: 'an incoming spec without kind covers a kind-specific one', base: [dep], incoming: [{ path: 'spec/x', create: true }], expected: [dep] },
    { name: 'a kind-specific spec is not covered by a generic one', base: [{ path: 'spec/x', create: true }], incoming: [dep], expected: [{ path: 'spec/x', create: true }, dep] },
    { name: 'missing create equals false', base: [{ path: 'a', create: false }], incoming: [{ path: 'a' }], expected: [{ path: 'a', create: false }] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mergeFieldSpecs(c.base, c.incoming), c.expected));

  it('same field, different create: conflict', () => {
    assert.throws(() => mergeFieldSpecs([dep], [{ path: 'spec/x' }]), { message: 'conflicting fieldspecs' });
  });
});

describe('mergeNameReferences', () => {
  const secret = (path: string): NameBackReferences => ({ kind: 'Secret', version: 'v1', fieldSpecs: [{ path, kind: 'Foo' }] });
  it('combines referrers of the same target and appends new targets', () => {
    const cm: NameBackReferences = { kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ path: 'a' }] };
    assert.deepEqual(mergeNameReferences([secret('x')], [secret('y'), secret('x'), cm]), [
      { kind: 'Secret', version: 'v1', fieldSpecs: [{ path: 'x', kind: 'Foo' }, { path: 'y', kind: 'Foo' }] },
      cm,
    ]);
  });
  it('targets differ by version', () => {
    assert.equal(mergeNameReferences([secret('x')], [{ kind: 'Secret', fieldSpecs: [] }]).length, 2);
  });
});

describe('mergeTransformerConfigs', () => {
  it('sorts every list by kind order, then group_version_kind', () => {
    const b = {
      ...emptyTransformerConfig(),
      commonLabels: [
        { path: 'a', kind: 'Foo' },
        { path: 'b', group: 'g.com' },
        { path: 'c', kind: 'Deployment' },
        { path: 'd', kind: 'ValidatingWebhookConfiguration' },
        { path: 'e', kind: 'Namespace' },
      ],
    };
    const merged = mergeTransformerConfigs(emptyTransformerConfig(), b);
    assert.deepEqual(merged.commonLabels.map((fs) => fs.path), ['e', 'c', 'b', 'a', 'd']);
  });

  it('names the list in conflicts', () => {
    const a = { ...emptyTransformerConfig(), images: [{ path: 'x', create: true }] };
    const b = { ...emptyTransformerConfig(), images: [{ path: 'x' }] };
    assert.throws(() => mergeTransformerConfigs(a, b), { message: 'failed to merge Images fieldSpec: conflicting fieldspecs' });
  });
});

describe('defaultTransformerConfig', () => {
  const d = defaultTransformerConfig();
  it('replicas in kustomize order', () => {
    assert.deepEqual(d.replicas.map((fs) => fs.kind), ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
  });
  it('commonLabels holds the selectors and the template labels', () => {
    assert.equal(d.commonLabels.length, 22 + d.templateLabels.length);
    assert.ok(d.templateLabels.every((t) => d.commonLabels.includes(t)));
  });
  it('prefix and suffix only rename', () => {
    assert.deepEqual([d.namePrefix, d.nameSuffix], [[{ path: 'metadata/name' }], [{ path: 'metadata/name' }]]);
  });
  it('is the same each time and merging does not change it', () => {
    mergeTransformerConfigs(d, { ...emptyTransformerConfig(), images: [{ path: 'spec/x', kind: 'Foo' }] });
    assert.deepEqual(defaultTransformerConfig(), d);
  });
});
