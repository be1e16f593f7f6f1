import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { splitFieldPath, visitFieldSpec, type CreateKind, type FieldSpec } from '../../src/engine/fieldspec.js';
import type { JsonObject, JsonValue } from '../../src/json/value.js';
import { parseApiVersion } from '../../src/kubernetes/resource-key.js';
import { objects } from './filters/fixtures.js';

describe('splitFieldPath', () => {
  const cases: { name: string; path: string; expected: string[] }[] = [
    { name: 'plain', path: 'spec/template/metadata', expected: ['spec', 'template', 'metadata'] },
    { name: 'escaped slash stays in the key', path: 'metadata/annotations/a\\/b', expected: ['metadata', 'annotations', 'a/b'] },
    { name: 'one leading slash is ignored', path: '/spec/a', expected: ['spec', 'a'] },
    { name: 'a lone slash is one empty key', path: '/', expected: [''] },
    { name: 'list marker is kept', path: 'spec/containers[]/image', expected: ['spec', 'containers[]', 'image'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(splitFieldPath(c.path), c.expected));
});

/** Sets each reached field to "X" and returns the object and the visited paths. */
function run(input: string, fs: FieldSpec, createKind?: CreateKind): { obj: JsonObject; visited: string[] } {
  const obj = objects(input)[0]!;
  const visited: string[] = [];
  const gvk = { ...parseApiVersion(String(obj.apiVersion)), kind: String(obj.kind) };
  visitFieldSpec(obj, gvk, fs, (ref) => {
    visited.push(ref.path.join('.'));
    ref.set(createKind === 'map' ? { x: 'X' } : 'X');
  }, createKind);
  return { obj, visited };
}

describe('visitFieldSpec', () => {
  const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n';
  const cases: { name: string; input: string; fs: FieldSpec; createKind?: CreateKind; visited: string[]; field?: [string[], JsonValue | undefined] }[] = [
    { name: 'existing field', input: `${base}spec: {a: 1}`, fs: { path: 'spec/a' }, visited: ['spec.a'], field: [['spec', 'a'], 'X'] },
    { name: 'other kind is skipped', input: `${base}spec: {a: 1}`, fs: { path: 'spec/a', kind: 'Service' }, visited: [] },
    { name: 'other group is skipped', input: `${base}spec: {a: 1}`, fs: { path: 'spec/a', group: 'batch' }, visited: [] },
    { name: 'missing field without create', input: base, fs: { path: 'spec/a' }, visited: [], field: [['spec'], undefined] },
    { name: 'missing field with create', input: base, fs: { path: 'spec/a/b', create: true }, createKind: 'scalar', visited: ['spec.a.b'], field: [['spec', 'a', 'b'], 'X'] },
    { name: 'create needs a create kind', input: base, fs: { path: 'spec/a', create: true }, visited: [] },
    { name: 'null on the way is missing', input: `${base}spec: {a: null}`, fs: { path: 'spec/a/b' }, visited: [], field: [['spec', 'a'], null] },
    { name: 'null at the end is passed on', input: `${base}spec: {a: null}`, fs: { path: 'spec/a' }, visited: ['spec.a'], field: [['spec', 'a'], 'X'] },
    { name: 'null is created over', input: `${base}spec: {a: null}`, fs: { path: 'spec/a/b', create: true }, createKind: 'map', visited: ['spec.a.b'], field: [['spec', 'a', 'b'], { x: 'X' }] },
    { name: 'null list becomes empty list, even without create', input: `${base}spec: {l: null}`, fs: { path: 'spec/l[]/a' }, visited: [], field: [['spec', 'l'], []] },
    { name: 'missing list is not created, maps before it are', input: base, fs: { path: 'spec/l[]/a', create: true }, createKind: 'map', visited: [], field: [['spec'], {}] },
    { name: 'every list element', input: `${base}spec: {l: [{a: 1}, {b: 2}, {a: 3}]}`, fs: { path: 'spec/l/a' }, visited: ['spec.l.0.a', 'spec.l.2.a'] },
    { name: 'list elements with create', input: `${base}spec: {l: [{a: 1}, {b: 2}]}`, fs: { path: 'spec/l[]/a', create: true }, createKind: 'scalar', visited: ['spec.l.0.a', 'spec.l.1.a'] },
    { name: 'escaped key', input: `${base}spec: {a/b: 1}`, fs: { path: 'spec/a\\/b' }, visited: ['spec.a/b'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { obj, visited } = run(c.input, c.fs, c.createKind);
      assert.deepEqual(visited, c.visited);
      if (c.field) {
        let v: JsonValue | undefined = obj;
        for (const k of c.field[0]) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject)[k] : undefined;
        assert.deepEqual(v, c.field[1]);
      }
    });
  }

  const errors: { name: string; input: string; fs: FieldSpec; message: string }[] = [
    {
      name: 'a scalar where the path goes on',
      input: `${base}spec: {a: str}`,
      fs: { path: 'spec/a/b' },
      message: "considering field 'spec/a/b' of object Deployment.v1.apps/d.[noNs]: expected sequence or mapping node",
    },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      assert.throws(() => run(c.input, c.fs), (e: unknown) => e instanceof BuildError && e.message === c.message);
    });
  }

  it('wraps errors of the setter with the field and object', () => {
    const obj = objects(`${base}spec: {a: 1}`)[0]!;
    assert.throws(
      () => visitFieldSpec(obj, { group: 'apps', version: 'v1', kind: 'Deployment' }, { path: 'spec/a' }, () => {
        throw new BuildError('boom');
      }),
      { message: "considering field 'spec/a' of object Deployment.v1.apps/d.[noNs]: boom" },
    );
  });
});
