import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { JsonObject } from '../../../src/json/value.js';
import { strategicMerge } from '../../../src/engine/merge/strategic.js';
import { BuildError } from '../../../src/errors.js';

const y = (s: string): JsonObject => parse(s) as JsonObject;
const DEP = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n';
const pod = (spec: string): string => `${DEP}spec: {template: {spec: ${spec}}}`;

describe('strategicMerge (kyaml merge2 as kustomize v5.5.0 uses it)', () => {
  const cases: { name: string; target: string; patch: string; expected: string | null }[] = [
    { name: 'scalars are overridden, maps merged', target: `${DEP}spec: {replicas: 1, paused: true}`, patch: `${DEP}spec: {replicas: 2}`, expected: `${DEP}spec: {replicas: 2, paused: true}` },
    { name: 'null deletes a field, an explicit null in the target stays', target: `${DEP}spec: {replicas: 1, paused: null}`, patch: `${DEP}spec: {replicas: null, x: null}`, expected: `${DEP}spec: {paused: null}` },
    {
      name: 'containers merge by name, patch elements first',
      target: pod('{containers: [{name: a, image: a1}, {name: b, image: b1}]}'),
      patch: pod('{containers: [{name: c, image: c1}, {name: b, image: b2}]}'),
      expected: pod('{containers: [{name: c, image: c1}, {name: b, image: b2}, {name: a, image: a1}]}'),
    },
    {
      name: '$patch: delete removes a list element',
      target: pod('{containers: [{name: a}, {name: b}]}'),
      patch: pod('{containers: [{name: a, $patch: delete}, {name: z, $patch: delete}]}'),
      expected: pod('{containers: [{name: b}]}'),
    },
    { name: '$patch: replace replaces a merging list', target: pod('{containers: [{name: a}]}'), patch: pod('{containers: [{$patch: replace}, {name: z}]}'), expected: pod('{containers: [{name: z}]}') },
    { name: '$patch: delete on a list clears it', target: pod('{containers: [{name: a}], x: 1}'), patch: pod('{containers: [{$patch: delete}]}'), expected: pod('{x: 1}') },
    { name: '$patch: replace and delete on maps', target: `${DEP}spec: {a: {x: 1, y: 2}, b: {x: 1}}`, patch: `${DEP}spec: {a: {$patch: replace, z: 3}, b: {$patch: delete}}`, expected: `${DEP}spec: {a: {z: 3}}` },
    { name: 'a top-level $patch: delete deletes the object', target: DEP, patch: `${DEP}$patch: delete`, expected: null },
    {
      name: 'finalizers merge as a set, patch values first',
      target: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, finalizers: [a, b]}',
      patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, finalizers: [c, a]}',
      expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, finalizers: [c, a, b]}',
    },
    { name: 'lists without merge strategy are replaced (args, tolerations)', target: pod('{tolerations: [{key: a}], containers: [{name: a, args: [x, y]}]}'), patch: pod('{tolerations: [{key: b}], containers: [{name: a, args: [z]}]}'), expected: pod('{tolerations: [{key: b}], containers: [{name: a, args: [z]}]}') },
    {
      name: 'unknown directives are kept as fields',
      target: pod('{containers: [{name: a}]}'),
      patch: pod('{$setElementOrder/containers: [{name: a}], containers: [{name: a, image: i}]}'),
      expected: pod('{$setElementOrder/containers: [{name: a}], containers: [{name: a, image: i}]}'),
    },
    { name: 'an element without merge key empties the list (kyaml quirk)', target: pod('{containers: [{name: a}]}'), patch: pod('{containers: [{image: x}]}'), expected: pod('{containers: []}') },
    {
      name: 'ports: a port without protocol does not match one with (kyaml quirk)',
      target: pod('{containers: [{name: a, ports: [{containerPort: 80}, {containerPort: 81, protocol: UDP}]}]}'),
      patch: pod('{containers: [{name: a, ports: [{containerPort: 81, name: u}, {containerPort: 82}]}]}'),
      expected: pod('{containers: [{name: a, ports: [{containerPort: 82}, {containerPort: 80}, {containerPort: 81, protocol: UDP}]}]}'),
    },
    {
      name: 'custom resources: lists replaced, maps merged',
      target: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {items: [{name: a, v: 1}], m: {a: 1}}',
      patch: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {items: [{name: b}], m: {b: 2}}',
      expected: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {items: [{name: b}], m: {a: 1, b: 2}}',
    },
    {
      name: 'an embedded built-in kind brings its schema',
      target: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {t: {apiVersion: v1, kind: Pod, spec: {containers: [{name: a}, {name: b}]}}}',
      patch: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {t: {spec: {containers: [{name: b, image: i}]}}}',
      expected: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nspec: {t: {apiVersion: v1, kind: Pod, spec: {containers: [{name: b, image: i}, {name: a}]}}}',
    },
    { name: 'nulls inside an added subtree are dropped', target: DEP, patch: `${DEP}spec: {a: {b: null, c: 1}}`, expected: `${DEP}spec: {a: {c: 1}}` },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(strategicMerge(y(c.target), y(c.patch)), c.expected === null ? null : y(c.expected)));
  }

  const errors: { name: string; target: string; patch: string; message: RegExp }[] = [
    { name: 'unknown $patch value', target: `${DEP}spec: {a: {x: 1}}`, patch: `${DEP}spec: {a: {$patch: drop}}`, message: /^unknown patch strategy 'drop'$/ },
    { name: 'kind mismatch', target: `${DEP}spec: {a: {x: 1}}`, patch: `${DEP}spec: {a: foo}`, message: /^wrong node kind: expected MappingNode but got ScalarNode: node contents:\nfoo\n$/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => assert.throws(() => strategicMerge(y(c.target), y(c.patch)), (e: unknown) => e instanceof BuildError && c.message.test(e.message)));
  }

  it('does not modify its inputs', () => {
    const t = y(pod('{containers: [{name: a}]}'));
    const p = y(pod('{containers: [{name: a, $patch: delete}]}'));
    const before = [structuredClone(t), structuredClone(p)];
    strategicMerge(t, p);
    assert.deepEqual([t, p], before);
  });
});
