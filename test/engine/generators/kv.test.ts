import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import { pairFromLiteral, pairsFromEnvFile, parseFileSource } from '../../../src/engine/generators/kv.js';

const text = (pairs: { key: string; value: Buffer }[]) => pairs.map((p) => [p.key, p.value.toString('utf8')]);

describe('pairFromLiteral', () => {
  const cases: { name: string; input: string; expected: [string, string] | RegExp }[] = [
    { name: 'plain', input: 'k=v', expected: ['k', 'v'] },
    { name: 'value keeps later equals signs', input: 'k=a=b', expected: ['k', 'a=b'] },
    { name: 'empty value', input: 'k=', expected: ['k', ''] },
    { name: 'double quotes removed', input: 'k="a b"', expected: ['k', 'a b'] },
    { name: 'single quotes removed', input: "k='a b'", expected: ['k', 'a b'] },
    { name: 'mismatched quotes kept', input: `k="a'`, expected: ['k', `"a'`] },
    { name: 'inner quotes kept', input: 'k=say "hi"', expected: ['k', 'say "hi"'] },
    { name: 'spaces kept', input: 'k= v ', expected: ['k', ' v '] },
    { name: 'any key characters', input: 'a b@c=1', expected: ['a b@c', '1'] },
    { name: 'no equals sign', input: 'k', expected: /^invalid literal source k, expected key=value$/ },
    { name: 'empty key', input: '=v', expected: /^invalid literal source =v, expected key=value$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.expected instanceof RegExp) {
        assert.throws(() => pairFromLiteral(c.input), (e: unknown) => e instanceof BuildError && (c.expected as RegExp).test(e.message));
      } else {
        assert.deepEqual(text([pairFromLiteral(c.input)]), [c.expected]);
      }
    });
  }
});

describe('parseFileSource', () => {
  const cases: { name: string; input: string; expected: { key: string; file: string } | string }[] = [
    { name: 'base name is the key', input: 'dir/app.properties', expected: { key: 'app.properties', file: 'dir/app.properties' } },
    { name: 'explicit key', input: 'conf=dir/app.properties', expected: { key: 'conf', file: 'dir/app.properties' } },
    { name: 'missing key', input: '=a.txt', expected: 'missing key name for file path "a.txt" in source "=a.txt"' },
    { name: 'missing path', input: 'k=', expected: 'missing file path for key name "k" in source "k="' },
    { name: 'two equals signs', input: 'k=a=b', expected: `source "k=a=b" key name or file path contains '='` },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (typeof c.expected === 'string') assert.throws(() => parseFileSource(c.input), { message: c.expected });
      else assert.deepEqual(parseFileSource(c.input), c.expected);
    });
  }
});

describe('pairsFromEnvFile', () => {
  const cases: { name: string; input: Buffer; expected: [string, string][] | RegExp }[] = [
    { name: 'comments and blank lines skipped', input: Buffer.from('# c\n\n   \nA=1\n  # indented\n'), expected: [['A', '1']] },
    { name: 'leading whitespace dropped, rest verbatim', input: Buffer.from('  B = x "q" \n'), expected: [['B ', ' x "q" ']] },
    { name: 'export is part of the key', input: Buffer.from('export C=1'), expected: [['export C', '1']] },
    { name: 'split at the first equals sign', input: Buffer.from('D=a=b'), expected: [['D', 'a=b']] },
    { name: 'no equals sign means empty value', input: Buffer.from('E\n'), expected: [['E', '']] },
    { name: 'CRLF line endings', input: Buffer.from('F=1\r\nG=2\r\n'), expected: [['F', '1'], ['G', '2']] },
    { name: 'BOM dropped on the first line only', input: Buffer.from('\uFEFFH=1\n\uFEFFI=2\n'), expected: [['H', '1'], ['\uFEFFI', '2']] },
    { name: 'invalid UTF-8 is an error', input: Buffer.from([0x4a, 0x3d, 0xff, 0x0a]), expected: /^line \[74 61 255\] has invalid utf8 bytes : J=\\xff$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.expected instanceof RegExp) {
        assert.throws(() => pairsFromEnvFile(c.input), (e: unknown) => e instanceof BuildError && (c.expected as RegExp).test(e.message));
      } else {
        assert.deepEqual(text(pairsFromEnvFile(c.input)), c.expected);
      }
    });
  }
});
