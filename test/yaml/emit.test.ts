import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitDocument } from '../../src/yaml/emit.js';
import { BuildError } from '../../src/errors.js';
import type { JsonValue } from '../../src/json/value.js';

/** Each expectation was checked against `kubectl kustomize` (kustomize v5.5.0). */
const cases: { name: string; input: JsonValue; expected: string }[] = [
  { name: 'sequence under a key is not indented', input: { k: ['a', 'b'] }, expected: 'k:\n- a\n- b\n' },
  { name: 'sequence of maps', input: [{ a: 1, b: 2 }], expected: '- a: 1\n  b: 2\n' },
  { name: 'nested sequences', input: [['a', 'b']], expected: '- - a\n  - b\n' },
  { name: 'empty collections and null', input: { m: {}, l: [], n: null }, expected: 'l: []\nm: {}\n"n": null\n' },
  { name: 'go-yaml v2 key order', input: { a10: 1, a9: 2, _x: 3, Z: 4 }, expected: '_x: 3\nZ: 4\na9: 2\na10: 1\n' },
  { name: 'YAML 1.1 words are quoted', input: { v: ['yes', 'on', 'y', '~', '1:20', '0x1F', '1e3', ''] }, expected: 'v:\n- "yes"\n- "on"\n- "y"\n- "~"\n- "1:20"\n- "0x1F"\n- "1e3"\n- ""\n' },
  { name: 'timestamps are quoted', input: { t: '2001-12-14T00:00:00Z' }, expected: 't: "2001-12-14T00:00:00Z"\n' },
  { name: 'indicators force single quotes', input: { a: '- x', b: ': x', c: 'a #b', d: "'q'" }, expected: "a: '- x'\nb: ': x'\nc: 'a #b'\nd: '''q'''\n" },
  { name: 'tabs, emoji and controls are escaped', input: { a: 'a\tb', b: '😀', c: '\u0001' }, expected: 'a: "a\\tb"\nb: "\\U0001F600"\nc: "\\x01"\n' },
  { name: 'literal blocks with chomping and indent hint', input: { a: 'x\n', b: 'x', c: 'x\ny', d: ' x\n', e: 'x\n\n' }, expected: 'a: |\n  x\nb: x\nc: |-\n  x\n  y\nd: |2\n   x\ne: |+\n  x\n\n' },
  { name: 'trailing space on a line forces double quotes', input: { a: 'x \ny' }, expected: 'a: "x \\ny"\n' },
  { name: 'floats in Go %g form', input: { a: 1.0, b: 0.000001, c: 1234567.5, d: 1e20, e: 2 ** 63, f: 12345678901234567890n }, expected: 'a: 1\nb: 1e-06\nc: 1.2345675e+06\nd: 1e+20\ne: 9223372036854776000\nf: 12345678901234567890\n' },
  { name: 'long plain scalars fold after column 80', input: { k: `${'x'.repeat(80)} y z` }, expected: `k: ${'x'.repeat(80)}\n  y z\n` },
  { name: 'raw NEL is folded by the JSON re-read', input: { a: 'a\u0085b', b: 'a\u0085\u0085b' }, expected: 'a: a b\nb: |-\n  a\n  b\n' },
  { name: 'a "<<" key disappears', input: { m: { '<<': { a: 1 }, b: 2 } }, expected: 'm:\n  b: 2\n' },
  { name: 'long keys become complex keys', input: { ['k'.repeat(129)]: 1 }, expected: `? ${'k'.repeat(129)}\n: 1\n` },
];

for (const c of cases) {
  test(`emit: ${c.name}`, () => assert.equal(emitDocument(c.input), c.expected));
}

test('emit: insertion key order keeps each map as built', () => {
  const input = { kind: 'K', apiVersion: 'v1', spec: { b: 1, a: [{ z: 1, y: 2 }] } };
  assert.equal(emitDocument(input, { keyOrder: 'insertion' }), 'kind: K\napiVersion: v1\nspec:\n  b: 1\n  a:\n  - z: 1\n    "y": 2\n');
});

const failures: { name: string; input: JsonValue; message: RegExp }[] = [
  { name: 'DEL character', input: { a: 'a\u007fb' }, message: /control characters are not allowed/ },
  { name: 'non-character', input: { a: '\uffff' }, message: /control characters are not allowed/ },
  { name: 'NEL in a key', input: { 'a\u0085b': 1 }, message: /did not find expected/ },
  { name: 'infinity', input: { a: Infinity }, message: /unsupported value: \+Inf/ },
];

for (const f of failures) {
  test(`emit fails: ${f.name}`, () => {
    assert.throws(() => emitDocument(f.input), (e: unknown) => e instanceof BuildError && f.message.test(e.message));
  });
}
