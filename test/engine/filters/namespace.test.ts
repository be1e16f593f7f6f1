import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { namespaceTransformer, type NamespaceOptions } from '../../../src/engine/filters/namespace.js';
import { objects, resMapOf, transform } from './fixtures.js';

const SPECS: FieldSpec[] = [
  { path: 'metadata/name', kind: 'Namespace', create: true },
  { path: 'spec/service/namespace', group: 'apiregistration.k8s.io', kind: 'APIService', create: true },
  { path: 'spec/conversion/webhook/clientConfig/service/namespace', group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
];

const cases: { name: string; input: string; expected: string; options?: NamespaceOptions; specs?: FieldSpec[] }[] = [
  {
    name: 'sets and overrides metadata.namespace of namespaced kinds',
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: old}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: ns}',
  },
  {
    name: 'cluster-scoped kinds keep their (even bogus) namespace',
    input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a, namespace: x}',
    expected: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a, namespace: x}',
  },
  {
    name: 'a v1 Namespace is renamed, another version is a namespaced custom kind',
    input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v2\nkind: Namespace\nmetadata: {name: b}',
    expected: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n---\napiVersion: v2\nkind: Namespace\nmetadata: {name: b, namespace: ns}',
  },
  {
    name: 'subjects named default get the namespace, others not',
    input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nsubjects:\n- {kind: ServiceAccount, name: default, namespace: x}\n- {kind: ServiceAccount, name: other}\n- {kind: User, name: default}',
    expected: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: ns}\nsubjects:\n- {kind: ServiceAccount, name: default, namespace: ns}\n- {kind: ServiceAccount, name: other}\n- {kind: User, name: default, namespace: ns}',
  },
  {
    name: 'allServiceAccounts sets every ServiceAccount subject',
    options: { setRoleBindingSubjects: 'allServiceAccounts' },
    input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nsubjects:\n- {kind: ServiceAccount, name: a}\n- {kind: User, name: default}',
    expected: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nsubjects:\n- {kind: ServiceAccount, name: a, namespace: ns}\n- {kind: User, name: default}',
  },
  {
    name: 'none leaves subjects alone; null subjects stay',
    options: { setRoleBindingSubjects: 'none' },
    input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nsubjects:\n- {kind: ServiceAccount, name: default}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb2}\nsubjects: null',
    expected: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: ns}\nsubjects:\n- {kind: ServiceAccount, name: default}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb2, namespace: ns}\nsubjects: null',
  },
  {
    name: 'unsetOnly keeps existing values',
    options: { unsetOnly: true },
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: keep}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ""}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: keep}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns}',
  },
  {
    name: 'APIService service namespace is created; CRD webhook namespace only replaced',
    input: 'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: a}\nspec: {service: {name: s}}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {}',
    expected: 'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: a}\nspec: {service: {name: s, namespace: ns}}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {}',
  },
  {
    name: 'metadata/name specs are ignored for other apiVersions',
    specs: [{ path: 'metadata/name', kind: 'Foo' }],
    input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: a}',
    expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: a, namespace: ns}',
  },
];

describe('namespaceTransformer', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(transform(namespaceTransformer('ns', c.specs ?? SPECS, c.options), c.input), objects(c.expected)));
  }

  it('does nothing for an empty namespace', () => {
    const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}';
    const m = resMapOf(input);
    namespaceTransformer('', SPECS)(m);
    assert.deepEqual(m.resources()[0]!.obj, objects(input)[0]);
    assert.equal(m.resources()[0]!.state.previousIds.length, 0);
  });

  it('remembers every id before the change', () => {
    const m = resMapOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: old}');
    namespaceTransformer('ns', SPECS)(m);
    const r = m.resources()[0]!;
    assert.deepEqual(r.state.previousIds.map((id) => id.namespace), ['old']);
    assert.equal(r.orgId().namespace, 'old');
  });

  it('fails when two resources end up with the same id', () => {
    const m = resMapOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: y}');
    assert.throws(() => namespaceTransformer('ns', SPECS)(m), (e: unknown) => e instanceof BuildError && /produces ID conflict/.test(e.message));
  });

  it('fails on a spec that reaches a map', () => {
    const m = resMapOf('apiVersion: x/v1\nkind: Foo\nmetadata: {name: a}\nspec: {a: {}}');
    assert.throws(
      () => namespaceTransformer('ns', [{ path: 'spec/a', kind: 'Foo' }])(m),
      (e: unknown) => e instanceof BuildError && e.message.startsWith("namespace field specs must target scalar nodes: considering field 'spec/a' of object Foo.v1.x/a.ns: wrong node kind: expected ScalarNode but got MappingNode"),
    );
  });
});
