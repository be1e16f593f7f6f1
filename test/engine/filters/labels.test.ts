import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import { emptyTransformerConfig } from '../../../src/engine/config/transformer-config.js';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { labelEntryFieldSpecs, labelTransformer } from '../../../src/engine/filters/labels.js';
import type { Label } from '../../../src/engine/types.js';
import { objects, transform } from './fixtures.js';

const META: FieldSpec = { path: 'metadata/labels', create: true };
const TEMPLATE: FieldSpec = { path: 'spec/template/metadata/labels', create: true, kind: 'Deployment' };
const SELECTOR: FieldSpec = { path: 'spec/selector/matchLabels', create: true, kind: 'Deployment' };
const JOB_SELECTOR: FieldSpec = { path: 'spec/selector/matchLabels', group: 'batch', kind: 'Job' };

const cases: { name: string; labels: Record<string, string>; specs: FieldSpec[]; input: string; expected: string }[] = [
  {
    name: 'adds to and overrides existing labels, creating the map',
    labels: { app: 'x', tier: 'web' },
    specs: [META],
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {app: old, keep: k}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {app: x, keep: k, tier: web}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b, labels: {app: x, tier: web}}',
  },
  {
    name: 'selectors and templates by kind, null maps replaced',
    labels: { app: 'x' },
    specs: [META, TEMPLATE, SELECTOR],
    input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: null}\nspec: {selector: null}',
    expected: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: {app: x}}\nspec: {selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}}}',
  },
  {
    name: 'specs without create only touch existing maps',
    labels: { app: 'x' },
    specs: [JOB_SELECTOR],
    input: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: b}\nspec: {selector: {matchLabels: {}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: c}\nspec: {selector: {matchLabels: null}}',
    expected: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: b}\nspec: {selector: {matchLabels: {app: x}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: c}\nspec: {selector: {matchLabels: null}}',
  },
  {
    name: 'empty values and string look-alikes stay strings',
    labels: { e: '', n: '1', b: 'true' },
    specs: [META],
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
    expected: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {e: '', n: '1', b: 'true'}}",
  },
  {
    name: 'no labels, no change (not even map creation)',
    labels: {},
    specs: [META],
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
  },
];

describe('labelTransformer', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(labelTransformer(c.labels, c.specs), c.input), objects(c.expected)));

  const errors: { name: string; labels: Record<string, string>; input: string; message: RegExp }[] = [
    { name: 'labels that are not a map', labels: { a: 'b' }, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: [x]}', message: /^considering field 'metadata\/labels' of object ConfigMap.v1.\[noGrp\]\/a.\[noNs\]: wrong node kind: expected MappingNode but got SequenceNode/ },
    { name: 'an empty key', labels: { '': 'v' }, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}', message: /wrong node kind: expected ScalarNode but got MappingNode: node contents:\n\{\}\n$/ },
    { name: 'a key YAML reads as a boolean', labels: { true: 'v' }, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}', message: /non-string YAML key/ },
    { name: 'a key YAML reads as a number', labels: { '0x1F': 'v' }, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}', message: /non-string YAML key/ },
    { name: 'a key YAML reads as a timestamp', labels: { '2020-01-01': 'v' }, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}', message: /non-string YAML key/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      assert.throws(() => transform(labelTransformer(c.labels, [META]), c.input), (e: unknown) => e instanceof BuildError && c.message.test(e.message));
    });
  }

  it('accepts YAML 1.1-only words as keys', () => {
    const out = transform(labelTransformer({ y: '1', on: '2', Yes: '3' }, [META]), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}');
    assert.deepEqual(out[0]!.metadata, { name: 'a', labels: { y: '1', on: '2', Yes: '3' } });
  });
});

describe('labelEntryFieldSpecs', () => {
  const config = { ...emptyTransformerConfig(), commonLabels: [SELECTOR, META], templateLabels: [META, TEMPLATE] };
  const own: FieldSpec = { path: 'spec/custom', create: true };
  const cases: { name: string; label: Label; expected: FieldSpec[] }[] = [
    { name: 'metadata only by default', label: { pairs: { a: 'b' }, fields: [own] }, expected: [own, META] },
    { name: 'includeSelectors takes every commonLabels spec', label: { includeSelectors: true, fields: [own] }, expected: [own, SELECTOR, META] },
    { name: 'includeTemplates takes the template specs', label: { includeTemplates: true }, expected: [META, TEMPLATE] },
    { name: 'includeSelectors wins over includeTemplates', label: { includeSelectors: true, includeTemplates: true }, expected: [SELECTOR, META] },
    { name: 'an own spec already covering metadata.labels', label: { fields: [META] }, expected: [META] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(labelEntryFieldSpecs(c.label, config), c.expected));

  it('conflicting create flags are an error', () => {
    assert.throws(() => labelEntryFieldSpecs({ fields: [{ path: 'metadata/labels' }] }, config), { message: 'conflicting fieldspecs' });
  });
});
