import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absorbGenerated } from '../../../src/engine/generators/absorb.js';
import type { JsonObject } from '../../../src/json/value.js';
import { Resource, type GenerationBehavior } from '../../../src/engine/resource.js';
import { ResMap } from '../../../src/engine/resmap.js';

function res(obj: JsonObject, state: { hash?: boolean; behavior?: GenerationBehavior; renamedFrom?: string } = {}): Resource {
  const r = new Resource(obj);
  r.state.needsHashSuffix = state.hash ?? false;
  if (state.behavior) r.state.behavior = state.behavior;
  if (state.renamedFrom) {
    const name = r.name;
    r.setName(state.renamedFrom);
    r.storePreviousId();
    r.setName(name);
    r.state.namePrefixes.push('p-');
  }
  return r;
}
const cm = (name: string, extra: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

describe('absorbGenerated', () => {
  const cases: {
    name: string;
    existing: Resource[];
    generated: Resource[];
    expected: { objs: JsonObject[]; hash?: boolean[] } | RegExp;
  }[] = [
    {
      name: 'create appends',
      existing: [res(cm('other'))],
      generated: [res(cm('new'), { hash: true })],
      expected: { objs: [cm('other'), cm('new')], hash: [false, true] },
    },
    {
      name: 'merge unions data and metadata, takes the existing name, keeps the position',
      existing: [
        res(cm('p-cfg', { metadata: { name: 'p-cfg', labels: { a: 'old', b: 'old' }, annotations: { n: 'old' } }, data: { x: 'old', n: 5 }, binaryData: { bin: 'AA==' } }), { hash: true, renamedFrom: 'cfg' }),
        res(cm('after')),
      ],
      generated: [res(cm('cfg', { metadata: { name: 'cfg', labels: { a: 'new' } }, data: { x: 'new', y: 'y' } }), { hash: true, behavior: 'merge' })],
      expected: {
        objs: [
          cm('p-cfg', { metadata: { name: 'p-cfg', labels: { a: 'new', b: 'old' }, annotations: { n: 'old' } }, data: { n: '5', x: 'new', y: 'y' }, binaryData: { bin: 'AA==' } }),
          cm('after'),
        ],
        hash: [true, false],
      },
    },
    {
      name: 'replace keeps only the generated data; hash only if both sides want it',
      existing: [res(cm('cfg', { data: { old: '1' } }), { hash: true })],
      generated: [res(cm('cfg', { data: { new: '1' } }), { hash: false, behavior: 'replace' })],
      expected: { objs: [cm('cfg', { data: { new: '1' } })], hash: [false] },
    },
    {
      name: 'merge into a plain resource never adds a hash',
      existing: [res(cm('plain'))],
      generated: [res(cm('plain', { data: { a: '1' } }), { hash: true, behavior: 'merge' })],
      expected: { objs: [cm('plain', { data: { a: '1' } })], hash: [false] },
    },
    {
      name: 'merge with nothing to merge leaves no data field',
      existing: [res({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: {} })],
      generated: [res({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: {} }, { behavior: 'merge' })],
      expected: { objs: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' }] },
    },
    {
      name: 'merge without a target',
      existing: [],
      generated: [res(cm('cfg'), { behavior: 'merge' })],
      expected: /id resid\.ResId\{Gvk:resid\.Gvk\{Group:"", Version:"v1", Kind:"ConfigMap", isClusterScoped:false\}, Name:"cfg", Namespace:""\} does not exist; cannot merge or replace$/,
    },
    {
      name: 'replace in another namespace has no target',
      existing: [res(cm('cfg'))],
      generated: [res(cm('cfg', { metadata: { name: 'cfg', namespace: 'x' } }), { behavior: 'replace' })],
      expected: /Namespace:"x"\} does not exist; cannot merge or replace$/,
    },
    {
      name: 'create over an existing id',
      existing: [res(cm('cfg'))],
      generated: [res(cm('cfg'), { behavior: 'create' })],
      expected: /exists; behavior must be merge or replace$/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = new ResMap(c.existing);
      if (c.expected instanceof RegExp) {
        assert.throws(() => absorbGenerated(m, c.generated), c.expected);
        return;
      }
      absorbGenerated(m, c.generated);
      assert.deepEqual(m.resources().map((r) => r.obj), c.expected.objs);
      if (c.expected.hash) assert.deepEqual(m.resources().map((r) => r.state.needsHashSuffix), c.expected.hash);
    });
  }

  it('a merged resource keeps the existing build history', () => {
    const m = new ResMap([res(cm('p-cfg'), { renamedFrom: 'cfg' })]);
    absorbGenerated(m, [res(cm('cfg'), { behavior: 'merge' })]);
    const [r] = m.resources();
    assert.deepEqual(r!.state.previousIds.map((id) => id.name), ['cfg']);
    assert.deepEqual(r!.state.namePrefixes, ['p-']);
  });
});
