import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { prefixTransformer, suffixTransformer } from '../../../src/engine/filters/prefix-suffix.js';
import { objects, resMapOf, transform } from './fixtures.js';

const NAME: FieldSpec[] = [{ path: 'metadata/name' }];

const cases: { name: string; prefix: string; suffix: string; specs?: FieldSpec[]; input: string; expected: string }[] = [
  {
    name: 'prefix and suffix on names',
    prefix: 'p-',
    suffix: '-s',
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
    expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p-a-s}',
  },
  {
    name: 'CRDs, Namespaces and APIServices (any version) keep their names',
    prefix: 'p-',
    suffix: '-s',
    input: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\napiVersion: apiregistration.k8s.io/v2\nkind: APIService\nmetadata: {name: c}\n---\napiVersion: other.io/v1\nkind: APIService\nmetadata: {name: d}',
    expected: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\napiVersion: apiregistration.k8s.io/v2\nkind: APIService\nmetadata: {name: c}\n---\napiVersion: other.io/v1\nkind: APIService\nmetadata: {name: p-d-s}',
  },
  {
    name: 'custom specs: existing fields changed, created fields get the affix alone',
    prefix: 'p-',
    suffix: '-s',
    specs: [...NAME, { path: 'spec/alias', kind: 'Foo', create: true }, { path: 'spec/other', kind: 'Foo' }, { path: 'spec/missing', kind: 'Foo' }],
    input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {other: o, n: 1}',
    expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: p-f-s}\nspec: {alias: p--s, other: p-o-s, n: 1}',
  },
  {
    name: 'a null is the text null, a null on the way is left',
    prefix: 'p-',
    suffix: '',
    specs: [{ path: 'spec/n' }, { path: 'spec/m/x' }],
    input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {n: null, m: null}',
    expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {n: p-null, m: null}',
  },
  {
    name: 'numbers become text',
    prefix: 'p-',
    suffix: '',
    specs: [{ path: 'spec/n' }],
    input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {n: 1}',
    expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {n: p-1}',
  },
];

function both(prefix: string, suffix: string, specs: FieldSpec[]) {
  return (m: ReturnType<typeof resMapOf>) => {
    prefixTransformer(prefix, specs)(m);
    suffixTransformer(suffix, specs)(m);
  };
}

describe('prefixTransformer / suffixTransformer', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(both(c.prefix, c.suffix, c.specs ?? NAME), c.input), objects(c.expected)));

  it('records affixes and each id before a rename', () => {
    const m = resMapOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}');
    both('p-', '-s', NAME)(m);
    const r = m.resources()[0]!;
    assert.deepEqual(r.state.namePrefixes, ['p-']);
    assert.deepEqual(r.state.nameSuffixes, ['-s']);
    assert.deepEqual(r.state.previousIds.map((id) => id.name), ['a', 'p-a']);
  });

  it('an empty affix does nothing and records nothing', () => {
    const m = resMapOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}');
    both('', '', NAME)(m);
    const r = m.resources()[0]!;
    assert.equal(r.name, 'a');
    assert.deepEqual([r.state.namePrefixes, r.state.previousIds], [[], []]);
  });

  it('selects kinds by the original id', () => {
    const m = resMapOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}');
    const r = m.resources()[0]!;
    r.storePreviousId();
    r.setKind('Namespace');
    prefixTransformer('p-', NAME)(m);
    assert.equal(r.name, 'p-a');
  });

  it('a map at a spec is an error', () => {
    const m = resMapOf('apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {m: {}}');
    assert.throws(() => prefixTransformer('p-', [{ path: 'spec/m' }])(m), (e: unknown) => e instanceof BuildError && /expected ScalarNode but got MappingNode/.test(e.message));
  });
});
