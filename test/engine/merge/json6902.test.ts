import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { JsonObject } from '../../../src/json/value.js';
import { applyJson6902, parseJson6902 } from '../../../src/engine/merge/json6902.js';
import { BuildError } from '../../../src/errors.js';

const DOC = '{data: {a: "1"}, list: [x, y, z], obj: {k: v}, nul: null}';
const y = (s: string): JsonObject => parse(s) as JsonObject;
const run = (ops: string, doc = DOC): JsonObject => applyJson6902(y(doc), parseJson6902(ops));

describe('JSON 6902 (evanphx/json-patch v4 as kustomize uses it)', () => {
  const cases: { name: string; ops: string; expected: string }[] = [
    { name: 'add into a list and at its end', ops: '[{"op": "add", "path": "/list/1", "value": 1}, {"op": "add", "path": "/list/-", "value": 2}]', expected: '{data: {a: "1"}, list: [x, 1, y, z, 2], obj: {k: v}, nul: null}' },
    { name: 'YAML form; replace of a missing key adds it', ops: '- {op: replace, path: /data/b, value: "2"}', expected: '{data: {a: "1", b: "2"}, list: [x, y, z], obj: {k: v}, nul: null}' },
    { name: 'negative index counts from the end', ops: '- {op: remove, path: /list/-1}', expected: '{data: {a: "1"}, list: [x, y], obj: {k: v}, nul: null}' },
    { name: 'move and copy; copy from a missing key copies null', ops: '- {op: move, from: /obj, path: /moved}\n- {op: copy, from: /absent, path: /c}', expected: '{data: {a: "1"}, list: [x, y, z], moved: {k: v}, nul: null, c: null}' },
    { name: '~1 escapes a slash; add without value writes null', ops: '- {op: add, path: /data/a~1b, value: s}\n- {op: add, path: /n}', expected: '{data: {a: "1", a/b: s}, list: [x, y, z], obj: {k: v}, nul: null, n: null}' },
    { name: 'test passes on equal values and on null for an absent key', ops: '- {op: test, path: /obj, value: {k: v}}\n- {op: test, path: /gone, value: null}', expected: DOC },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(run(c.ops), y(c.expected)));

  it('numbers come back as float64 (big integers lose precision as in Go)', () => {
    assert.deepEqual(run('[]', '{n: 1}'), { n: 1 });
    assert.deepEqual(applyJson6902({ n: 12345678901234567890n }, []), { n: 12345678901234567000 });
  });

  const errors: { name: string; ops: string; message: string }[] = [
    { name: 'remove a missing key', ops: '- {op: remove, path: /nope}', message: "error in remove for path: '/nope': Unable to remove nonexistent key: nope: missing value" },
    { name: 'add below a missing parent', ops: '- {op: add, path: /a/b, value: 1}', message: 'add operation does not apply: doc is missing path: "/a/b": missing value' },
    { name: 'parents that are null are missing', ops: '- {op: add, path: /nul/b, value: 1}', message: 'add operation does not apply: doc is missing path: "/nul/b": missing value' },
    { name: 'index out of range', ops: '- {op: add, path: /list/9, value: 1}', message: "error in add for path: '/list/9': Unable to access invalid index: 9: invalid index referenced" },
    { name: 'index not a number', ops: '- {op: add, path: /list/x, value: 1}', message: "error in add for path: '/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax" },
    { name: 'replace beyond a list', ops: '- {op: replace, path: /list/5, value: 1}', message: 'replace operation does not apply: doc is missing key: /list/5: missing value' },
    { name: 'move from a missing key', ops: '- {op: move, from: /nope, path: /x}', message: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value" },
    { name: 'failed test', ops: '- {op: test, path: /obj/k, value: w}', message: 'testing value /obj/k failed: test failed' },
    { name: 'unknown op', ops: '- {op: frob, path: /x}', message: 'Unexpected kind: frob' },
    { name: 'missing path', ops: '- {op: add, value: 1}', message: 'add operation failed to decode path: missing value' },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => assert.throws(() => run(c.ops), (e: unknown) => e instanceof BuildError && e.message === c.message));
  }

  const decoding: { name: string; text: string; ok: boolean }[] = [
    { name: 'JSON list', text: '[{"op": "add"}]', ok: true },
    { name: 'YAML list', text: '- op: add', ok: true },
    { name: 'YAML map is not a patch', text: 'op: add', ok: false },
    { name: 'YAML flow text starting with [ must be JSON', text: '[{op: add}]', ok: false },
    { name: 'empty text', text: '', ok: false },
  ];
  for (const c of decoding) it(`decode: ${c.name}`, () => (c.ok ? assert.doesNotThrow(() => parseJson6902(c.text)) : assert.throws(() => parseJson6902(c.text), BuildError)));
});
