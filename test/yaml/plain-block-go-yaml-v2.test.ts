import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { caseYamlFiles } from '../support/cases.js';
import { parseGoYamlV2, plainBlockGoYamlV2 } from '../../src/yaml/go-yaml-v2.js';


test('fast go-yaml v2 reader: reads every corpus file it accepts exactly as the full reader does', () => {
  let accepted = 0;
  let kustomizations = 0;
  for (const file of caseYamlFiles()) {
    const src = readFileSync(file, 'utf8');
    const fast = plainBlockGoYamlV2(src);
    if (fast === undefined) continue;
    accepted++;
    if (/ustomization(\.ya?ml)?$/.test(file)) kustomizations++;
    assert.deepEqual(fast, parseGoYamlV2(src, file).value, file);
  }
  assert.ok(accepted > 300 && kustomizations > 150, `only ${accepted} corpus files (${kustomizations} kustomizations) took the fast path`);
});

const accepted: { name: string; input: string }[] = [
  {
    name: 'the usual kustomization, a literal patch included',
    input:
      '# head\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: dev-\nresources:\n- ../../base\n- cluster.yaml\n' +
      'patches:\n- target:\n    kind: HelmRelease\n  patch: |\n    kind: HelmRelease\n    metadata:\n      name: all\n',
  },
  { name: 'YAML 1.1 words, numbers, timestamps and sexagesimals as go-yaml v2 reads them', input: 'a: yes\nb: Off\nc: y\nd: 0x1F\ne: 010\nf: 0o17\ng: 1_000\nh: .5\ni: -.inf\nj: .NaN\nk: 2001-12-14\nl: 12:30\nm: 9223372036854775808\n' },
  { name: 'quoted YAML 1.1 words stay text', input: "a: 'yes'\nb: \"on\"\nc: 'it''s'\nd: \"12\"\ne: ''\n" },
  { name: 'empty flow collections', input: 'a: {}\nb: []\n' },
  { name: 'a document opened by ---', input: '---\na: b\n' },
  { name: 'text past ASCII', input: 'note: café ✓ 𝄞\n' },
  { name: 'a __proto__ key', input: '__proto__:\n  a: b\n' },
  { name: 'a sequence', input: '- a\n- b: c\n' },
];

for (const c of accepted) {
  test(`fast go-yaml v2 reader: ${c.name}`, () => {
    const fast = plainBlockGoYamlV2(c.input);
    assert.notEqual(fast, undefined, 'took the fast path');
    assert.deepEqual(fast, parseGoYamlV2(c.input, 'f.yaml').value);
  });
}

const declined: { name: string; input: string }[] = [
  { name: 'a key written without a value', input: 'a: 1\nb:\n' },
  { name: 'an explicit null', input: 'a: null\n' },
  { name: 'a ~ null in a sequence', input: 'a:\n- ~\n' },
  { name: 'a null key', input: 'null: a\n' },
  { name: 'a YAML 1.1 boolean key', input: 'yes: a\n' },
  { name: 'a number key', input: '1: a\n' },
  { name: 'a merge key', input: 'a:\n  <<:\n    b: c\n' },
  { name: 'duplicate keys (go-yaml v2 keeps the last)', input: 'a: 1\na: 2\n' },
  { name: 'anchors and aliases', input: 'a: &x b\nc: *x\n' },
  { name: 'tags', input: 'a: !!str 1\n' },
  { name: 'flow collections', input: 'a: [b, c]\n' },
  { name: 'two documents (go-yaml v2 reads the first)', input: 'a: b\n---\nc: d\n' },
  { name: 'a document end', input: 'a: b\n...\n' },
  { name: 'a directive', input: '%YAML 1.1\n---\na: b\n' },
  { name: 'escapes in double quotes', input: 'a: "\\x41"\n' },
  { name: 'multi-line quoted scalars', input: "a: 'b\n  c'\n" },
  { name: 'multi-line plain scalars', input: 'a: b\n  c\n' },
  { name: 'folded, keep and indentation-indicator block scalars', input: 'a: >\n  b\nc: |+\n  d\ne: |2\n   f\n' },
  { name: 'a literal block scalar ending a text without a final newline', input: 'a: |\n  b' },
  { name: 'a control character', input: 'a: b\u0001\n' },
  { name: 'a tab', input: 'a:\tb\n' },
  { name: 'a carriage return', input: 'a: b\r\n' },
  { name: 'a byte order mark', input: '\ufeffa: b\n' },
  { name: 'a YAML 1.1 line break', input: 'a: b\u0085c\n' },
  { name: 'a scalar document', input: 'just text\n' },
  { name: 'no document', input: '# only a comment\n' },
];

for (const c of declined) {
  test(`fast go-yaml v2 reader leaves to the full reader: ${c.name}`, () => assert.equal(plainBlockGoYamlV2(c.input), undefined));
}
