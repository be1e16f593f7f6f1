import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { convertCrd, convertNode, type Schema } from '../../src/schemas/convert.js';
import { FORMATS } from '../../src/schemas/formats.js';
import { OBJECT_META_REF } from '../../src/schemas/object-meta.js';
import { parseDocuments } from '../../src/yaml/parse.js';

const fail = (message: string, pointer: string): never => {
  throw new Error(`${pointer}: ${message}`);
};
const convert = (node: unknown, mode: 'structural' | 'value' = 'structural'): Schema => convertNode(node as never, '', mode, fail);

describe('convertNode', () => {
  const cases: { name: string; input: unknown; expected: Schema }[] = [
    {
      name: 'object: unknown fields rejected, descriptions dropped',
      input: { type: 'object', description: 'd', properties: { a: { type: 'string', description: 'x', maxLength: 3 } }, required: ['a'] },
      expected: { type: 'object', required: ['a'], properties: { a: { type: 'string', maxLength: 3 } }, additionalProperties: false },
    },
    {
      name: 'a required field with a default may be left out: the API server defaults it first',
      input: { type: 'object', properties: { a: { type: 'string', default: 'x' }, b: { type: 'string' } }, required: ['a', 'b'] },
      expected: { type: 'object', required: ['b'], properties: { a: { type: 'string', default: 'x' }, b: { type: 'string' } }, additionalProperties: false },
    },
    {
      name: 'map: additionalProperties schema kept',
      input: { type: 'object', additionalProperties: { type: 'string' } },
      expected: { type: 'object', additionalProperties: { type: 'string' } },
    },
    {
      name: 'x-kubernetes-int-or-string: integer or string, the anyOf of types dropped, pattern kept',
      input: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^\\d+%?$' },
      expected: { type: ['integer', 'string'], pattern: '^\\d+%?$', 'x-kubernetes-int-or-string': true },
    },
    {
      name: 'x-kubernetes-preserve-unknown-fields: listed fields checked, others allowed',
      input: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'integer' } } },
      expected: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-preserve-unknown-fields': true },
    },
    {
      name: 'preserve-unknown-fields without a type: any value',
      input: { 'x-kubernetes-preserve-unknown-fields': true },
      expected: { 'x-kubernetes-preserve-unknown-fields': true },
    },
    {
      name: 'x-kubernetes-embedded-resource: apiVersion, kind required, metadata is ObjectMeta',
      input: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      expected: {
        type: 'object',
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: OBJECT_META_REF } },
        required: ['apiVersion', 'kind'],
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-embedded-resource': true,
      },
    },
    {
      name: 'nullable adds null to type and enum',
      input: { type: 'string', nullable: true, enum: ['a', 'b'] },
      expected: { type: ['string', 'null'], enum: ['a', 'b', null] },
    },
    {
      name: 'format int32 becomes a range, tightened by minimum',
      input: { type: 'integer', format: 'int32', minimum: 0 },
      expected: { type: 'integer', minimum: 0, maximum: 2147483647 },
    },
    {
      name: 'format int64 becomes a range',
      input: { type: 'integer', format: 'int64' },
      expected: { type: 'integer', minimum: FORMATS.int64!.minimum, maximum: FORMATS.int64!.maximum },
    },
    {
      name: 'format date-time becomes a pattern',
      input: { type: 'string', format: 'date-time' },
      expected: { type: 'string', pattern: FORMATS['date-time']!.pattern },
    },
    {
      name: 'format byte beside a pattern: both apply',
      input: { type: 'string', format: 'byte', pattern: '^.{4,}$' },
      expected: { type: 'string', pattern: '^.{4,}$', allOf: [{ pattern: FORMATS.byte!.pattern }] },
    },
    {
      name: 'unknown format dropped',
      input: { type: 'string', format: 'password' },
      expected: { type: 'string' },
    },
    {
      name: 'OpenAPI boolean exclusiveMaximum becomes the draft-07 number',
      input: { type: 'number', maximum: 5, exclusiveMaximum: true },
      expected: { type: 'number', exclusiveMaximum: 5 },
    },
    {
      name: 'list-type set: items unique',
      input: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      expected: { type: 'array', uniqueItems: true, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    },
    {
      name: 'list-type map: keys kept for the validator',
      input: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      expected: {
        type: 'array',
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
    },
    {
      name: 'CEL rules kept with their fields, unknown fields of a rule dropped',
      input: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0', message: 'm', fieldPath: '.a', reason: 'FieldValueInvalid', extra: 1 }] },
      expected: { type: 'object', additionalProperties: false, 'x-kubernetes-validations': [{ rule: 'self.a > 0', message: 'm', fieldPath: '.a', reason: 'FieldValueInvalid' }] },
    },
    {
      name: 'property names that look like keywords stay property names',
      input: {
        type: 'object',
        properties: {
          'x-kubernetes-validations': { type: 'array', items: { type: 'string' } },
          'x-kubernetes-preserve-unknown-fields': { type: 'boolean' },
          type: { type: 'string' },
          description: { type: 'string' },
        },
      },
      expected: {
        type: 'object',
        properties: {
          'x-kubernetes-validations': { type: 'array', items: { type: 'string' } },
          'x-kubernetes-preserve-unknown-fields': { type: 'boolean' },
          type: { type: 'string' },
          description: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
    {
      name: 'value branches (anyOf) add checks but forbid nothing',
      input: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, anyOf: [{ required: ['a'] }, { properties: { b: { minLength: 1 } } }] },
      expected: {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        additionalProperties: false,
        anyOf: [{ required: ['a'] }, { properties: { b: { minLength: 1 } } }],
      },
    },
    {
      name: 'default kept (list-map keys and CEL may rely on it)',
      input: { type: 'string', default: 'TCP' },
      expected: { type: 'string', default: 'TCP' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(convert(c.input), c.expected));
  }

  it('property named __proto__ is kept as data', () => {
    const out = convert(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}'));
    assert.deepEqual(Object.keys(out.properties as object), ['__proto__']);
  });
});

const crd = (versions: string, extra = ''): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
${versions}${extra}`;

const version = (name: string, flags: string, spec = '{type: object}') => `  - name: ${name}
    ${flags}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          metadata: {type: object}
          spec: ${spec}
`;

describe('convertCrd', () => {
  const run = (text: string) => {
    const [doc] = parseDocuments(text, 'crd.yaml');
    return convertCrd(doc!.value, { file: 'crd.yaml', line: doc!.line, lines: doc!.lines });
  };

  it('one schema per served version, deprecation recorded', () => {
    const out = run(
      crd(
        version('v1', 'served: true') +
          version('v1beta1', 'served: true\n    deprecated: true\n    deprecationWarning: use v1') +
          version('v1alpha1', 'served: false'),
      ),
    );
    assert.deepEqual(
      out.map((v) => [v.apiVersion, v.kind, v.deprecated, v.deprecationWarning]),
      [
        ['example.com/v1', 'Widget', false, undefined],
        ['example.com/v1beta1', 'Widget', true, 'use v1'],
      ],
    );
  });

  it('the whole object: apiVersion and kind fixed and required, strict ObjectMeta, unknown top-level fields rejected', () => {
    const [v1] = run(crd(version('v1', 'served: true')));
    const schema = v1!.schema as { required: string[]; properties: Record<string, Schema>; additionalProperties: boolean; definitions: Record<string, Schema> };
    assert.deepEqual(schema.required, ['apiVersion', 'kind']);
    assert.deepEqual(schema.properties.apiVersion, { type: 'string', enum: ['example.com/v1'] });
    assert.deepEqual(schema.properties.kind, { type: 'string', enum: ['Widget'] });
    assert.deepEqual(schema.properties.metadata, { $ref: OBJECT_META_REF });
    assert.equal(schema.additionalProperties, false);
    assert.equal(Object.values(schema.definitions)[0]!.additionalProperties, false);
  });

  it('constraints a CRD puts on metadata apply beside ObjectMeta', () => {
    const text = crd(version('v1', 'served: true')).replace('metadata: {type: object}', 'metadata: {type: object, properties: {name: {type: string, maxLength: 5}}}');
    const [v1] = run(text);
    assert.deepEqual((v1!.schema.properties as Record<string, Schema>).metadata, {
      allOf: [{ $ref: OBJECT_META_REF }, { properties: { name: { type: 'string', maxLength: 5 } } }],
    });
  });

  const errors: { name: string; text: string; expected: RegExp }[] = [
    { name: 'not a CRD', text: 'apiVersion: v1\nkind: ConfigMap\n', expected: /^crd\.yaml:2: not a CustomResourceDefinition/ },
    { name: 'v1beta1 CRD', text: crd(version('v1', 'served: true')).replace('apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'), expected: /^crd\.yaml:1: unsupported CustomResourceDefinition apiVersion/ },
    { name: 'served version without schema', text: crd('  - name: v1\n    served: true\n'), expected: /^crd\.yaml:9: version v1 has no schema/ },
    { name: 'bad type in a nested schema, at its line', text: crd(version('v1', 'served: true', '{type: [object]}')), expected: /^crd\.yaml:16: type must be a string/ },
    { name: 'map list without keys', text: crd(version('v1', 'served: true', '{type: array, x-kubernetes-list-type: map, items: {type: object}}')), expected: /^crd\.yaml:16: .*list-map-keys/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      assert.throws(() => run(c.text), (e: unknown) => e instanceof BuildError && c.expected.test(e.format()));
    });
  }
});
