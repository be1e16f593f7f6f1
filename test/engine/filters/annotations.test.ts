import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { annotationsTransformer } from '../../../src/engine/filters/annotations.js';
import { objects, transform } from './fixtures.js';

describe('annotationsTransformer', () => {
  const specs: FieldSpec[] = [{ path: 'metadata/annotations', create: true }, { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' }];
  const cases: { name: string; annotations: Record<string, string>; input: string; expected: string }[] = [
    {
      name: 'metadata and kind-specific templates',
      annotations: { note: 'n', 'a/b': 'has space' },
      input: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, annotations: {keep: k}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}',
      expected: "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, annotations: {keep: k, note: n, 'a/b': has space}}\nspec: {jobTemplate: {metadata: {annotations: {note: n, 'a/b': has space}}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, annotations: {note: n, 'a/b': has space}}",
    },
    { name: 'no annotations, no change', annotations: {}, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}', expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}' },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(annotationsTransformer(c.annotations, specs), c.input), objects(c.expected)));
});
