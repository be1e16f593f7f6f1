import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { replicaCountTransformer } from '../../../src/engine/filters/replicas.js';
import type { Replica } from '../../../src/engine/types.js';
import { objects, resMapOf, transform } from './fixtures.js';

const SPECS: FieldSpec[] = [
  { path: 'spec/replicas', create: true, kind: 'Deployment' },
  { path: 'spec/replicas', create: true, kind: 'StatefulSet' },
];

describe('replicaCountTransformer', () => {
  const cases: { name: string; replica: Replica; specs?: FieldSpec[]; input: string; expected: string }[] = [
    {
      name: 'sets or creates the count on matching names and kinds only',
      replica: { name: 'a', count: 3 },
      input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 1}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}',
      expected: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: 3}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {replicas: 3}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}',
    },
    {
      name: 'zero and a custom field spec',
      replica: { name: 'f', count: 0 },
      specs: [{ path: 'spec/size', kind: 'Foo', create: true }],
      input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}',
      expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {size: 0}',
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(replicaCountTransformer(c.replica, c.specs ?? SPECS), c.input), objects(c.expected)));

  it('matches an earlier name too', () => {
    const m = resMapOf('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}');
    const r = m.resources()[0]!;
    r.storePreviousId();
    r.setName('p-a');
    replicaCountTransformer({ name: 'a', count: 2 }, SPECS)(m);
    assert.deepEqual(r.obj.spec, { replicas: 2 });
  });

  it('matching nothing is an error listing the kinds', () => {
    assert.throws(
      () => transform(replicaCountTransformer({ name: 'nope', count: 2 }, SPECS), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}'),
      { message: 'resource with name nope does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp]]' },
    );
  });
});
