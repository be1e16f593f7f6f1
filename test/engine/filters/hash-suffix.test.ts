import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentHash, goJson, hashSuffixTransformer } from '../../../src/engine/filters/hash-suffix.js';
import type { JsonObject, JsonValue } from '../../../src/json/value.js';
import { Resource } from '../../../src/engine/resource.js';
import { ResMap } from '../../../src/engine/resmap.js';

describe('contentHash (values produced by kubectl kustomize v5.5.0)', () => {
  const cases: { name: string; obj: JsonObject; expected: string }[] = [
    { name: 'configmap a=1 b=yes (p-gen-dg79t4479m)', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-gen' }, data: { a: '1', b: 'yes' } }, expected: 'dg79t4479m' },
    { name: 'the name does not count', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { a: '1', b: 'yes' } }, expected: 'dg79t4479m' },
    { name: 'labels do not count', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { l: 'v' } }, data: { a: '1' } }, expected: 'h29d89cmmt' },
    { name: 'configmap without data', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } }, expected: '6ct58987ht' },
    { name: 'opaque secret', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } }, expected: '25khgmg44c' },
    { name: 'secret with empty data', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'e' }, type: 'Opaque', data: {} }, expected: '46f8b28mk5' },
    { name: 'tls secret', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==' } }, expected: 'f4c6k54dt5' },
    {
      name: 'html characters are escaped as Go does',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'html' }, data: { html: '<a href="x">&</a>', multiline: 'line1\\nline2', unicode: 'héllo wörld ✓' } },
      expected: '25f48m7bh9',
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(contentHash(new Resource(c.obj)), c.expected));
});

describe('goJson', () => {
  const cases: { name: string; input: JsonValue; expected: string }[] = [
    { name: 'keys in byte order', input: { b: 1, a: 2, B: 3 }, expected: '{"B":3,"a":2,"b":1}' },
    { name: 'html-safe escapes', input: '<&>', expected: '"\\u003c\\u0026\\u003e"' },
    { name: 'short control escapes', input: '\n\t\r\b\f', expected: '"\\n\\t\\r\\b\\f"' },
    { name: 'other control characters', input: '\u0001', expected: '"\\u0001"' },
    { name: 'line and paragraph separators', input: '\u2028\u2029', expected: '"\\u2028\\u2029"' },
    { name: 'non-ASCII kept', input: 'é✓', expected: '"é✓"' },
    { name: 'nested', input: { l: [1, true, null, 'x'] }, expected: '{"l":[1,true,null,"x"]}' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(goJson(c.input), c.expected));
});

describe('hashSuffixTransformer', () => {
  it('renames only marked resources and remembers their old ids', () => {
    const marked = new Resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-gen' }, data: { a: '1', b: 'yes' } });
    marked.state.needsHashSuffix = true;
    const plain = new Resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
    const m = new ResMap([marked, plain]);
    hashSuffixTransformer(m);
    assert.deepEqual(m.resources().map((r) => r.name), ['p-gen-dg79t4479m', 'plain']);
    assert.deepEqual(marked.state.previousIds.map((id) => id.name), ['p-gen']);
    assert.deepEqual(plain.state.previousIds, []);
  });
});
