import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { caseYamlFiles } from '../support/cases.js';
import { parseBlockSubset } from '../../src/yaml/block-subset.js';
import { parseAnyYaml, type ParsedDocument } from '../../src/yaml/parse.js';

/** What a reader gives, line maps included, in a form deepEqual compares. */
function shape(docs: readonly ParsedDocument[]): unknown {
  return docs.map((d) => ({ value: d.value, line: d.line, lines: [...d.lines].sort() }));
}

test('block subset: reads every corpus file it accepts exactly as the full reader does', () => {
  let accepted = 0;
  for (const file of caseYamlFiles()) {
    const src = readFileSync(file, 'utf8');
    const fast = parseBlockSubset(src);
    if (!fast) continue;
    accepted++;
    assert.deepEqual(shape(fast), shape(parseAnyYaml(src, file)), file);
  }
  assert.ok(accepted > 100, `only ${accepted} corpus files took the fast path`);
});

const accepted: { name: string; input: string }[] = [
  { name: 'nested mappings and sequences', input: 'a:\n  b:\n  - x\n  - y: 1\n    z: []\n  -   - n\n      - m\nc: {}\n' },
  { name: 'a sequence at its key\'s indentation', input: 'a:\n- 1\n- k: v\nb: 2\n' },
  { name: 'scalars of every plain kind', input: 'a: ~\nb: true\nc: 0x1F\nd: 1e3\ne: 2001-12-14\nf: -1\ng: 1_000\nh: 010\ni: http://x:80/y\nj: a#b\nk: a  b  \n' },
  { name: 'quoted scalars and comments', input: "# head\na: 'it''s' # c\nb: \"x: y\"\nc: v # c\nd:\n    # indented comment\n  e: 1\n" },
  { name: 'literal scalars', input: 'a: |\n  l1\n\n    l2\n  # not a comment\n\n\nb: |-\n  x\n  y\nc:\n- |\n  item\n' },
  { name: 'documents', input: '# c\n---\na: 1\n---\n\n# c\nb:\n  c: 2\n' },
  { name: 'keys needing pointer escapes', input: 'a/b:\n  c~d: 1\n__proto__: 2\n' },
];

for (const c of accepted) {
  test(`block subset: ${c.name}`, () => {
    const fast = parseBlockSubset(c.input);
    assert.ok(fast, 'took the fast path');
    assert.deepEqual(shape(fast), shape(parseAnyYaml(c.input, 'f.yaml')));
  });
}

const declined: { name: string; input: string }[] = [
  { name: 'flow collections', input: 'a: {b: 1}\n' },
  { name: 'anchors and aliases', input: 'a: &x 1\nb: *x\n' },
  { name: 'tags', input: 'a: !!str 1\n' },
  { name: 'multi-line plain scalars', input: 'a: one\n  two\n' },
  { name: 'multi-line quoted scalars', input: 'a: "one\n  two"\n' },
  { name: 'escapes', input: 'a: "\\t"\n' },
  { name: 'folded and keep scalars', input: 'a: >\n  x\nb: |+\n  y\n' },
  { name: 'a literal scalar at the end of a text without a final newline', input: 'a: |\n  x' },
  { name: 'duplicate keys', input: 'a: 1\na: 2\n' },
  { name: 'non-string keys', input: '1: a\n' },
  { name: 'merge keys', input: 'a:\n  <<: {}\n' },
  { name: 'empty documents', input: 'a: 1\n---\n' },
  { name: 'tabs and carriage returns', input: 'a:\t1\r\n' },
  { name: 'a byte order mark', input: '\ufeffa: 1\n' },
  { name: 'directives and document ends', input: '%YAML 1.2\n---\na: 1\n...\n' },
  { name: 'a scalar document', input: 'just text\n' },
  { name: 'odd indentation', input: 'a:\n    b: 1\n  c: 2\n' },
  { name: 'a mapping value on a key\'s row', input: 'a: b: c\n' },
  { name: 'empty sequence items', input: '- \n- a\n' },
];

for (const c of declined) {
  test(`block subset leaves to the full reader: ${c.name}`, () => assert.equal(parseBlockSubset(c.input), undefined));
}
