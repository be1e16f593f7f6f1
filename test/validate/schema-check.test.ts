import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/json/value.js';
import { bundledCatalog } from '../../src/schemas/catalog.js';
import { SchemaCompiler } from '../../src/schemas/compiled-schemas.js';
import { SchemaChecker, type SchemaCheckOptions } from '../../src/validate/schema-check.js';
import { fakeCatalog, objectSchema, strict } from './fake-catalog.js';

const widgetSpec = strict(
  {
    replicas: { type: 'integer', minimum: 0, maximum: 2147483647 },
    mode: { type: 'string', enum: ['Fast', 'Safe'] },
    name: { type: 'string', pattern: '^[a-z]+$' },
    port: { type: ['integer', 'string'], 'x-kubernetes-int-or-string': true },
    size: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    items: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: strict({ name: { type: 'string' }, value: { type: 'string' } }),
    },
    tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    upper: { type: 'string', pattern: '(?i)^abc$' },
    rule: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() > 100', message: 'not evaluated without a CEL evaluator' }] },
  },
  ['mode'],
);

const catalog = fakeCatalog([
  { apiVersion: 'example.io/v1', kind: 'Widget', schema: objectSchema(widgetSpec) },
  { apiVersion: 'example.io/v1beta1', kind: 'Widget', schema: objectSchema(widgetSpec), deprecated: true },
  { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', schema: objectSchema({ type: 'object' }), release: 'Flux 2.9' },
  { apiVersion: 'apps/v1', kind: 'Deployment', schema: objectSchema({ type: 'object' }) },
]);

const compiler = new SchemaCompiler();
const DEFAULTS: SchemaCheckOptions = { missingSchemas: 'warn', strictVars: false };

function widget(spec: JsonObject, apiVersion = 'example.io/v1'): JsonObject {
  return { apiVersion, kind: 'Widget', metadata: { name: 'w' }, spec: { mode: 'Fast', ...spec } };
}

/** [ruleId, path, severity] of each finding, in order. */
function check(obj: JsonObject, options: Partial<SchemaCheckOptions> = {}): string[][] {
  return new SchemaChecker(catalog, compiler, { ...DEFAULTS, ...options })
    .check(obj)
    .map((f) => [f.ruleId, f.path ?? '', f.severity]);
}

describe('schema check', () => {
  const cases: { name: string; obj: JsonObject; options?: Partial<SchemaCheckOptions>; expected: string[][] }[] = [
    { name: 'valid object: no findings', obj: widget({ replicas: 3, port: 'http', size: 2, free: { any: { thing: 1 } }, items: [{ name: 'a' }, { name: 'b' }], upper: 'ABC' }), expected: [] },
    { name: 'unknown field under spec', obj: widget({ replicaz: 3 }), expected: [['schema/unknown-field', '/spec/replicaz', 'error']] },
    { name: 'unknown field in metadata', obj: { ...widget({}), metadata: { name: 'w', labelz: {} } }, expected: [['schema/unknown-field', '/metadata/labelz', 'error']] },
    { name: 'unknown field in a list item', obj: widget({ items: [{ name: 'a', valeu: 'x' }] }), expected: [['schema/unknown-field', '/spec/items/0/valeu', 'error']] },
    { name: 'wrong type', obj: widget({ replicas: 'three' }), expected: [['schema/type', '/spec/replicas', 'error']] },
    { name: 'enum violation', obj: widget({ mode: 'Slow' }), expected: [['schema/enum', '/spec/mode', 'error']] },
    { name: 'pattern violation', obj: widget({ name: 'Bad1' }), expected: [['schema/pattern', '/spec/name', 'error']] },
    { name: 'required field removed', obj: { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }, expected: [['schema/required-field', '/spec/mode', 'error']] },
    { name: 'range violation', obj: widget({ replicas: -1 }), expected: [['schema/value', '/spec/replicas', 'error']] },
    { name: 'int-or-string as a type list', obj: widget({ port: true }), expected: [['schema/type', '/spec/port', 'error']] },
    { name: 'int-or-string as anyOf: one finding', obj: widget({ size: [1] }), expected: [['schema/alternatives', '/spec/size', 'error']] },
    { name: 'duplicate key in a map list', obj: widget({ items: [{ name: 'a' }, { name: 'a', value: 'x' }] }), expected: [['schema/value', '/spec/items/1', 'error']] },
    { name: 'duplicate item in a set list', obj: widget({ tags: ['a', 'b', 'a'] }), expected: [['schema/value', '/spec/tags/2', 'error']] },
    { name: 'Go (?i) pattern flag', obj: widget({ upper: 'AbC' }), expected: [] },
    { name: 'without a CEL evaluator, CEL rules are not evaluated', obj: widget({ rule: 'short' }), expected: [] },
    { name: 'integer beyond 2^53 as bigint', obj: widget({ replicas: 2n ** 60n }), expected: [['schema/value', '/spec/replicas', 'error']] },
    { name: 'deprecated served version: warning', obj: widget({}, 'example.io/v1beta1'), expected: [['schema/deprecated-version', '/apiVersion', 'warning']] },
    { name: 'removed Flux version names the served one', obj: { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', metadata: { name: 'x' }, spec: { bad: 1 } }, expected: [['schema/removed-version', '/apiVersion', 'error']] },
    { name: 'removed core version in another group', obj: { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }, expected: [['schema/removed-version', '/apiVersion', 'error']] },
    { name: 'unknown kind: warning by default', obj: { apiVersion: 'other.io/v1', kind: 'Thing', metadata: { name: 'x' } }, expected: [['schema/missing', '', 'warning']] },
    { name: 'unknown kind: error on request', obj: { apiVersion: 'other.io/v1', kind: 'Thing', metadata: { name: 'x' } }, options: { missingSchemas: 'error' }, expected: [['schema/missing', '', 'error']] },
    { name: 'unknown kind: ignored on request', obj: { apiVersion: 'other.io/v1', kind: 'Thing', metadata: { name: 'x' } }, options: { missingSchemas: 'ignore' }, expected: [] },
    { name: 'a value holding a variable is exempt from type, enum and pattern', obj: widget({ replicas: '${REPLICAS}', mode: '${MODE:=Fast}', name: '${NAME}-x' }), expected: [] },
    { name: '--strict-vars checks them', obj: widget({ replicas: '${REPLICAS}', name: '${NAME}' }), options: { strictVars: true }, expected: [['schema/type', '/spec/replicas', 'error'], ['schema/pattern', '/spec/name', 'error']] },
    { name: 'variables do not excuse unknown fields', obj: widget({ replicaz: '${R}' }), expected: [['schema/unknown-field', '/spec/replicaz', 'error']] },
    { name: 'null where a value is expected: dropped by the API server, not an error', obj: widget({ replicas: null, name: null }), expected: [] },
    { name: 'escaped $${VAR} is a literal, not a variable', obj: widget({ replicas: '$${R}' }), expected: [['schema/type', '/spec/replicas', 'error']] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(check(c.obj, c.options), c.expected));
  }

  it('names the expected and actual values', () => {
    const [f] = new SchemaChecker(catalog, compiler, DEFAULTS).check(widget({ mode: 'Slow' }));
    assert.equal(f!.expected, 'one of "Fast", "Safe"');
    assert.equal(f!.actual, 'string "Slow"');
    assert.match(f!.message, /spec\.mode/);
  });

  it('names the version to use for a removed one', () => {
    const [f] = new SchemaChecker(catalog, compiler, DEFAULTS).check({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta2', kind: 'HelmRelease', metadata: { name: 'x' } });
    assert.equal(f!.expected, 'helm.toolkit.fluxcd.io/v2');
    assert.equal(f!.message, 'helm.toolkit.fluxcd.io/v2beta2 HelmRelease is not served by Flux 2.9 (bundled schemas); use helm.toolkit.fluxcd.io/v2');
  });

  it('names the bundled release that no longer serves a version', () => {
    const bundled = new SchemaChecker(bundledCatalog(), compiler, DEFAULTS);
    const message = (apiVersion: string, kind: string): string | undefined => bundled.check({ apiVersion, kind, metadata: { name: 'x' } })[0]?.message;
    assert.equal(message('cluster.x-k8s.io/v1alpha4', 'Cluster'), 'cluster.x-k8s.io/v1alpha4 Cluster is not served by Cluster API v1.14 (bundled schemas); use cluster.x-k8s.io/v1beta2');
    assert.equal(message('infrastructure.cluster.x-k8s.io/v1alpha4', 'AzureCluster'), 'infrastructure.cluster.x-k8s.io/v1alpha4 AzureCluster is not served by CAPZ v1.26 (bundled schemas); use infrastructure.cluster.x-k8s.io/v1beta1');
    assert.equal(message('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization'), 'kustomize.toolkit.fluxcd.io/v1beta2 Kustomization is not served by Flux 2.9 (bundled schemas); use kustomize.toolkit.fluxcd.io/v1');
    assert.equal(message('extensions/v1beta1', 'Deployment'), 'extensions/v1beta1 Deployment is not served by Kubernetes 1.33 (bundled schemas); use apps/v1');
    assert.equal(message('policy/v1beta1', 'PodSecurityPolicy'), 'policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.33 (bundled schemas) and has no replacement');
  });

  it('hands objects to the CEL hook and reports what it returns', () => {
    const seen: string[] = [];
    const cel = { evaluate: (entry: { kind: string }) => (seen.push(entry.kind), [{ message: 'rule failed', path: '/spec' }]) };
    const findings = new SchemaChecker(catalog, compiler, { ...DEFAULTS, cel }).check(widget({}));
    assert.deepEqual(seen, ['Widget']);
    assert.deepEqual(findings.map((f) => [f.ruleId, f.message]), [['schema/cel', 'rule failed']]);
  });
});
