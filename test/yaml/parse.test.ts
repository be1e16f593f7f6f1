import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments, parseSingleDocument } from '../../src/yaml/parse.js';
import { BuildError } from '../../src/errors.js';
import type { JsonValue } from '../../src/json/value.js';

/** Values as kustomize's go-yaml v3 reading plus JSON conversion yields them (checked with kubectl). */
const values: { name: string; input: string; expected: JsonValue }[] = [
  { name: 'YAML 1.1 booleans stay strings', input: 'a: yes\nb: True\nc: on', expected: { a: 'yes', b: true, c: 'on' } },
  { name: 'null forms', input: 'a: ~\nb: null\nc:\nd: NULL', expected: { a: null, b: null, c: null, d: null } },
  { name: 'integer forms', input: 'a: 0x1F\nb: 0o17\nc: 017\nd: 0b101\ne: 1_000\nf: +1', expected: { a: 31, b: 15, c: 15, d: 5, e: 1000, f: 1 } },
  { name: 'big integers stay exact', input: 'a: 18446744073709551615\nb: 9007199254740993', expected: { a: 18446744073709551615n, b: 9007199254740993n } },
  { name: 'floats', input: 'a: .5\nb: 1e3\nc: 1.0\nd: 18446744073709551616', expected: { a: 0.5, b: 1000, c: 1, d: 18446744073709551616 } },
  { name: 'not numbers', input: 'a: 0x\nb: ._5\nc: 1e400x\nd: 1:20', expected: { a: '0x', b: '._5', c: '1e400x', d: '1:20' } },
  { name: 'timestamps become RFC 3339 strings', input: 'a: 2001-12-14\nb: 2001-12-14 21:59:43.10\nc: 2001-12-14t21:59:43.10-05:00\nd: 2001-02-30', expected: { a: '2001-12-14T00:00:00Z', b: '2001-12-14T21:59:43.1Z', c: '2001-12-14T21:59:43.1-05:00', d: '2001-02-30' } },
  { name: 'tags', input: 'a: !!str 123\nb: !!int "12"\nc: !!binary aGVsbG8=\nd: !foo 123\ne: !!str', expected: { a: '123', b: 12, c: 'hello', d: '123', e: '' } },
  { name: 'quoted scalars are strings', input: 'a: "1"\nb: \'true\'', expected: { a: '1', b: 'true' } },
  { name: 'anchors, aliases and merge keys', input: 'b: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nl: *b', expected: { b: { x: 1, y: 2 }, m: { x: 1, y: 3 }, l: { x: 1, y: 2 } } },
  { name: 'empty flow value is an empty string', input: 'a: {f: }', expected: { a: { f: '' } } },
];

for (const c of values) {
  test(`parse: ${c.name}`, () => assert.deepEqual(parseSingleDocument(c.input, 'f.yaml'), c.expected));
}

test('parse: documents, null documents and start lines', () => {
  const docs = parseDocuments('# c\n---\na: 1\n---\n# only comment\n---\n\nb: 2\n', 'f.yaml');
  assert.deepEqual(docs.map((d) => [d.value, d.line]), [[{ a: 1 }, 3], [null, 4], [{ b: 2 }, 8]]);
});

test('parse: line of each node by JSON pointer', () => {
  const [doc] = parseDocuments('a:\n  b/c:\n  - x\n  - y: 1\nz: 2\n', 'f.yaml');
  assert.deepEqual(Object.fromEntries(doc!.lines), { '': 1, '/a': 1, '/a/b~1c': 2, '/a/b~1c/0': 3, '/a/b~1c/1': 4, '/a/b~1c/1/y': 4, '/z': 5 });
});

const failures: { name: string; input: string | Buffer; line: number; message: RegExp }[] = [
  { name: 'malformed', input: 'a: [1, 2\nb: 3\n', line: 2, message: /invalid YAML/ },
  { name: 'duplicate key', input: 'a: 1\nb: 2\na: 3\n', line: 3, message: /mapping key "a" already defined at line 1/ },
  { name: 'duplicate merge key', input: 'b: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n', line: 4, message: /duplicate merge key/ },
  { name: 'tag mismatch', input: 'a: !!int 1.5\n', line: 1, message: /cannot decode !!float `1.5` as a !!int/ },
  { name: 'non-string key', input: 'x: 1\n1: a\n', line: 2, message: /only string keys/ },
  { name: 'unknown anchor', input: 'a: *nope\n', line: 1, message: /unknown anchor 'nope'/ },
  { name: 'invalid UTF-8', input: Buffer.from([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0xff, 0x0a]), line: 2, message: /not valid UTF-8/ },
  { name: 'too deep', input: `a: ${'['.repeat(10001)}${']'.repeat(10001)}\n`, line: 1, message: /exceeded max depth of 10000/ },
];

for (const f of failures) {
  test(`parse fails: ${f.name}`, () => {
    assert.throws(
      () => parseDocuments(f.input, 'f.yaml'),
      (e: unknown) => e instanceof BuildError && e.file === 'f.yaml' && e.line === f.line && f.message.test(e.message),
    );
  });
}

test('parse fails fast on an alias expansion bomb', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
  }
  const started = Date.now();
  assert.throws(() => parseDocuments(levels.join('\n'), 'bomb.yaml'), /excessive aliasing/);
  assert.ok(Date.now() - started < 2000, 'took too long');
});
