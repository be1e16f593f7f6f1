import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadReplacements, replacementTransformer } from '../../../src/engine/filters/replacements.js';
import { Loader } from '../../../src/engine/loader.js';
import type { Replacement } from '../../../src/engine/types.js';
import { objects, resMapOf, transform } from './fixtures.js';

const SRC = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\ndata: {text: abc, num: "42", pair: "a:b"}\nspec: {int: 7, map: {x: y}}';

describe('replacementTransformer', () => {
  const cases: { name: string; replacements: Replacement[]; input: string; expected?: string; error?: RegExp }[] = [
    {
      name: 'string into a string and a number target keeps each type',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'data.num' }, targets: [{ select: { kind: 'T' }, fieldPaths: ['spec.s', 'spec.i'] }] }],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {s: old, i: 1}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {s: "42", i: 42}`,
    },
    {
      name: 'a number into a string target becomes its text',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'spec.int' }, targets: [{ select: { kind: 'T' }, fieldPaths: ['spec.s'] }] }],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {s: old}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {s: "7"}`,
    },
    {
      name: 'a map replaces a map, and is empty text in a scalar',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'spec.map' }, targets: [{ select: { kind: 'T' }, fieldPaths: ['spec.m', 'spec.s'] }] }],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {m: {a: b}, s: old}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {m: {x: y}, s: ""}`,
    },
    {
      name: 'source delimiter picks a piece; target delimiter replaces, prepends or appends',
      replacements: [
        {
          source: { kind: 'ConfigMap', fieldPath: 'data.pair', options: { delimiter: ':', index: 1 } },
          targets: [
            { select: { kind: 'T' }, fieldPaths: ['spec.a'], options: { delimiter: '.', index: 1 } },
            { select: { kind: 'T' }, fieldPaths: ['spec.b'], options: { delimiter: '.', index: -1 } },
            { select: { kind: 'T' }, fieldPaths: ['spec.c'], options: { delimiter: '.', index: 9 } },
          ],
        },
      ],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {a: x.y.z, b: x.y, c: x.y}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {a: x.b.z, b: b.x.y, c: x.y.b}`,
    },
    {
      name: 'created scalars are typed by their text',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'data.num' }, targets: [{ select: { kind: 'T' }, fieldPaths: ['spec.new.n'], options: { create: true } }] }],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {new: {n: 42}}`,
    },
    {
      name: 'reject by kind, select by label',
      replacements: [
        {
          source: { kind: 'ConfigMap', name: 'src', fieldPath: 'data.text' },
          targets: [{ select: { labelSelector: 'a=b' }, reject: [{ kind: 'U' }], fieldPaths: ['spec.s'] }],
        },
      ],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t, labels: {a: b}}\nspec: {s: old}\n---\napiVersion: v1\nkind: U\nmetadata: {name: u, labels: {a: b}}\nspec: {s: old}`,
      expected: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t, labels: {a: b}}\nspec: {s: abc}\n---\napiVersion: v1\nkind: U\nmetadata: {name: u, labels: {a: b}}\nspec: {s: old}`,
    },
    {
      name: 'no source',
      replacements: [{ source: { kind: 'Nope' }, targets: [{ select: {} }] }],
      input: SRC,
      error: /^nothing selected by Nope\.\[noVer\]\.\[noGrp\]\/\[noName\]\.\[noNs\]$/,
    },
    {
      name: 'two sources',
      replacements: [{ source: { version: 'v1', fieldPath: 'a', options: { delimiter: '-', index: 1 } }, targets: [{ select: {} }] }],
      input: `${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}`,
      error: /^multiple matches for selector \[noKind\]\.v1\.\[noGrp\]\/\[noName\]\.\[noNs\]:a:-\(1\), create=false$/,
    },
    {
      name: 'missing source field',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'spec.map.nope' }, targets: [{ select: {} }] }],
      input: SRC,
      error: /^fieldPath `spec\.map\.nope` is missing for replacement source ConfigMap/,
    },
    {
      name: 'index out of bounds',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'data.pair', options: { delimiter: ':', index: 2 } }, targets: [{ select: {} }] }],
      input: SRC,
      error: /^options\.index 2 is out of bounds for value a:b$/,
    },
    {
      name: 'missing target field',
      replacements: [{ source: { kind: 'ConfigMap' }, targets: [{ select: { kind: 'ConfigMap' }, fieldPaths: ['spec.nope'] }] }],
      input: SRC,
      error: /^unable to find field "spec\.nope" in replacement target$/,
    },
    {
      name: 'text that does not fit the target type',
      replacements: [{ source: { kind: 'ConfigMap', fieldPath: 'data.text' }, targets: [{ select: { kind: 'ConfigMap' }, fieldPaths: ['spec.int'] }] }],
      input: SRC,
      error: /cannot decode !!str `abc` as a !!int$/,
    },
    {
      name: 'no select',
      replacements: [{ source: { kind: 'ConfigMap' }, targets: [{ fieldPaths: ['x'] }] }],
      input: SRC,
      error: /^target must specify resources to select$/,
    },
    {
      name: 'no targets',
      replacements: [{ source: { kind: 'ConfigMap' } }],
      input: SRC,
      error: /^replacements must specify a source and at least one target$/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => transform(replacementTransformer(c.replacements), c.input);
      if (c.error) assert.throws(run, { message: c.error });
      else assert.deepEqual(run(), objects(c.expected!));
    });
  }

  it('selects by an earlier name', () => {
    const m = resMapOf(`${SRC}\n---\napiVersion: v1\nkind: T\nmetadata: {name: t}\nspec: {s: old}`);
    const t = m.resources()[1]!;
    t.storePreviousId();
    t.setName('p-t');
    replacementTransformer([{ source: { kind: 'ConfigMap', fieldPath: 'data.text' }, targets: [{ select: { name: 't' }, fieldPaths: ['spec.s'] }] }])(m);
    assert.deepEqual(t.obj.spec, { s: 'abc' });
  });
});

describe('loadReplacements', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replacements-'));
  fs.writeFileSync(path.join(dir, 'list.yaml'), '- source: {kind: A}\n  targets: []\n- source: {kind: B}\n  targets: [{select: {kind: C}}]\n');
  fs.writeFileSync(path.join(dir, 'one.yaml'), 'source: {kind: D}\ntargets: [{select: {}, options: {create: yes}}]\n---\nsource: {kind: E}\n');
  fs.writeFileSync(path.join(dir, 'text.yaml'), 'text\n');
  const loader = Loader.forDirectory(dir, 'root');
  const cases: { name: string; fields: Parameters<typeof loadReplacements>[0]; expected?: unknown; error?: RegExp }[] = [
    {
      name: 'files hold a list or one replacement (first document only, YAML 1.1)',
      fields: [{ path: 'list.yaml' }, { path: 'one.yaml' }],
      expected: [
        { source: { kind: 'A' }, targets: [] },
        { source: { kind: 'B' }, targets: [{ select: { kind: 'C' } }] },
        { source: { kind: 'D' }, targets: [{ select: {}, options: { create: true } }] },
      ],
    },
    { name: 'an empty inline target list is dropped', fields: [{ source: { kind: 'A' }, targets: [] }], expected: [{ source: { kind: 'A' }, targets: undefined }] },
    { name: 'path and inline together', fields: [{ path: 'list.yaml', source: { kind: 'A' } }], error: /cannot specify both path and inline replacement$/ },
    { name: 'a file of text', fields: [{ path: 'text.yaml' }], error: /^trouble configuring builtin ReplacementTransformer with config: `\nReplacements:\n- path: text.yaml\n`: unsupported replacement type encountered within replacement path: string$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => loadReplacements(c.fields, loader);
      if (c.error) assert.throws(run, { message: c.error });
      else assert.deepEqual(run(), c.expected);
    });
  }
});
