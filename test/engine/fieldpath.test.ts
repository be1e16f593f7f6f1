import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupPath, matchPath, splitKyamlPath } from '../../src/engine/fieldpath.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';

describe('splitKyamlPath', () => {
  const cases: { name: string; input: string; expected: string[] }[] = [
    { name: 'plain dots', input: 'spec.template.spec', expected: ['spec', 'template', 'spec'] },
    { name: 'list entry kept whole', input: 'a.[name=x.y].b', expected: ['a', '[name=x.y]', 'b'] },
    { name: 'bracketed key loses brackets', input: 'metadata.labels.[app.kubernetes.io/name]', expected: ['metadata', 'labels', 'app.kubernetes.io/name'] },
    { name: 'single bracketed part keeps brackets', input: 'a.[b]', expected: ['a', '[b]'] },
    { name: 'escaped dot', input: 'data.a\\.b.c', expected: ['data', 'a.b', 'c'] },
    { name: 'unclosed bracket runs to the end', input: 'a.[b.c', expected: ['a', 'b.c'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(splitKyamlPath(c.input), c.expected));
});

const DOC: JsonObject = {
  spec: {
    replicas: 1,
    containers: [
      { name: 'nginx', image: 'a' },
      { name: 'nginx-sidecar', image: 'b' },
    ],
    args: ['x', 'y'],
    empty: null,
  },
};

describe('lookupPath', () => {
  const cases: { name: string; path: string; expected?: JsonValue; error?: RegExp }[] = [
    { name: 'field', path: 'spec.replicas', expected: 1 },
    { name: 'entry by exact field text', path: 'spec.containers.[name=nginx].image', expected: 'a' },
    { name: 'entry by own value', path: 'spec.args.[=y]', expected: 'y' },
    { name: 'position', path: 'spec.containers.1.name', expected: 'nginx-sidecar' },
    { name: 'last element', path: 'spec.args.-', expected: 'y' },
    { name: 'missing position', path: 'spec.args.5', expected: undefined },
    { name: 'through null', path: 'spec.empty.x', expected: undefined },
    { name: 'negative position', path: 'spec.args.-1', error: /^array index -1 cannot be negative$/ },
    { name: 'wildcard', path: 'spec.args.*', error: /^wildcard is not supported in PathGetter$/ },
    { name: 'field of a list', path: 'spec.args.x', error: /^wrong node kind: expected MappingNode but got SequenceNode/ },
    { name: 'entry without =', path: 'spec.args.[x]', error: /must contain fieldName=fieldValue/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => lookupPath(DOC, splitKyamlPath(c.path));
      if (c.error) assert.throws(run, { message: c.error });
      else assert.deepEqual(run(), c.expected);
    });
  }
});

describe('matchPath', () => {
  const cases: { name: string; path: string; create?: 'scalar' | 'map'; expected: (string | number)[][]; after?: JsonValue }[] = [
    { name: 'regex entries are unanchored', path: 'spec.containers.[name=nginx].image', expected: [['spec', 'containers', 0, 'image'], ['spec', 'containers', 1, 'image']] },
    { name: 'anchored regex', path: 'spec.containers.[name=^nginx$].image', expected: [['spec', 'containers', 0, 'image']] },
    { name: 'wildcard', path: 'spec.containers.*.name', expected: [['spec', 'containers', 0, 'name'], ['spec', 'containers', 1, 'name']] },
    { name: 'missing without create', path: 'spec.nope', expected: [] },
    {
      name: 'creates a missing entry and field',
      path: 'spec.containers.[name=new].image',
      create: 'scalar',
      expected: [['spec', 'containers', 2, 'image']],
      after: [{ name: 'nginx', image: 'a' }, { name: 'nginx-sidecar', image: 'b' }, { name: 'new', image: null }],
    },
    { name: 'appends at the list length', path: 'spec.args.2', create: 'scalar', expected: [['spec', 'args', 2]] },
    { name: 'creation under null is lost', path: 'spec.empty.x', create: 'scalar', expected: [['spec', 'empty', 'x']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const doc = structuredClone(DOC);
      const found = matchPath(doc, splitKyamlPath(c.path), c.create);
      assert.deepEqual(found.map((f) => f.path), c.expected);
      if (c.after !== undefined) assert.deepEqual((doc.spec as JsonObject).containers, c.after);
    });
  }

  it('refuses a position past the end', () => {
    assert.throws(() => matchPath(structuredClone(DOC), ['spec', 'args', '3'], 'scalar'), { message: /^index 3 specified but only 2 elements found$/ });
  });
});
