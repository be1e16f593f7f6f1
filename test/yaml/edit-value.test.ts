/** setYamlValue and editBlockScalar: only what differs is rewritten; comments, quoting and layout of the rest stay byte for byte. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../src/json/value.js';
import { editBlockScalar, setYamlValue, type YamlPathStep } from '../../src/yaml/edit.js';

describe('setYamlValue', () => {
  const cases: { name: string; text: string; path: YamlPathStep[]; value: JsonValue | undefined; want: string; document?: number }[] = [
    {
      name: 'a changed scalar keeps its quotes and its comment',
      text: 'a:\n  version: "1.0"  # pinned\n  b: 1\n',
      path: ['a', 'version'],
      value: '1.1',
      want: 'a:\n  version: "1.1"  # pinned\n  b: 1\n',
    },
    {
      name: 'new keys join a block mapping after its last entry and the comments indented under it',
      text: 'a:\n  b:\n    c: 1\n    # about c\n# about d\nd: 2\n',
      path: ['a'],
      value: { b: { c: 1, e: 3 }, f: 'x' },
      want: 'a:\n  b:\n    c: 1\n    # about c\n    e: 3\n  f: x\n# about d\nd: 2\n',
    },
    {
      name: 'new keys join a flow mapping, an empty one too',
      text: 'a: {b: 1}\nc: {}\n',
      path: [],
      value: { a: { b: 1, x: 2 }, c: { y: 'z' } },
      want: 'a: {b: 1, x: 2}\nc: {y: z}\n',
    },
    {
      name: 'a missing path is added as nested keys',
      text: 'spec:\n  other: 1\n',
      path: ['spec', 'chart', 'spec', 'version'],
      value: '2.0.0',
      want: 'spec:\n  other: 1\n  chart:\n    spec:\n      version: 2.0.0\n',
    },
    {
      name: 'removed keys take their lines; the first key of a list entry gives its place to the next',
      text: 'l:\n  - vmSize: A\n    name: x\n    replicas: 2\n  - name: y\n',
      path: ['l'],
      value: [{ name: 'x' }, { name: 'y' }],
      want: 'l:\n  - name: x\n  - name: y\n',
    },
    {
      name: 'named entries are matched by name: changed in place, removed, appended',
      text: 'pools:\n  - name: a   # first\n    size: 1\n  - name: b\n',
      path: ['pools'],
      value: [{ name: 'a', size: 2 }, { name: 'c', size: 3 }],
      want: 'pools:\n  - name: a   # first\n    size: 2\n  - name: c\n    size: 3\n',
    },
    {
      name: 'undefined removes the key, in a flow mapping too',
      text: 'a: {b: 1, c: 2}\nd: 3\n',
      path: ['a', 'c'],
      value: undefined,
      want: 'a: {b: 1}\nd: 3\n',
    },
    {
      name: 'a later document is edited, the others left alone',
      text: 'kind: A\nv: 1\n---\nkind: B\nv: 1\n',
      document: 1,
      path: ['v'],
      value: 2,
      want: 'kind: A\nv: 1\n---\nkind: B\nv: 2\n',
    },
    {
      name: 'a string that would read as another type is quoted',
      text: 'tag: latest\n',
      path: ['tag'],
      value: '1.10',
      want: 'tag: "1.10"\n',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(setYamlValue(c.text, c.document ?? 0, c.path, c.value), c.want));
  }
});

describe('editBlockScalar', () => {
  const bump = (text: string): string => text.replace('1.2.0', '1.3.0');
  const cases: { name: string; text: string; path: YamlPathStep[]; want: string | undefined }[] = [
    {
      name: 'a line of a literal block (`|`) is rewritten at its indentation; the rest of the block and the file stay',
      text: 'patches:\n  - patch: |  # the release\n      kind: X\n      # why\n\n      tag: 1.2.0   # pinned\n    target: {kind: X}\n# end\n',
      path: ['patches', 0, 'patch'],
      want: 'patches:\n  - patch: |  # the release\n      kind: X\n      # why\n\n      tag: 1.3.0   # pinned\n    target: {kind: X}\n# end\n',
    },
    {
      name: 'the last line of a stripped block (`|-`) keeps its line break',
      text: 'p: |-\n  - op: replace\n    value: 1.2.0\nq: 1\n',
      path: ['p'],
      want: 'p: |-\n  - op: replace\n    value: 1.3.0\nq: 1\n',
    },
    {
      name: 'an explicit indentation indicator: the indentation is what the lines have',
      text: 'p: |4\n      deeper: 1.2.0\n    x: 1\n',
      path: ['p'],
      want: 'p: |4\n      deeper: 1.3.0\n    x: 1\n',
    },
    {
      name: 'a file with CRLF line endings keeps them',
      text: 'p: |\r\n  a: 1\r\n  tag: 1.2.0\r\nq: 1\r\n',
      path: ['p'],
      want: 'p: |\r\n  a: 1\r\n  tag: 1.3.0\r\nq: 1\r\n',
    },
    { name: 'a folded block is not edited', text: 'p: >\n  tag: 1.2.0\n', path: ['p'], want: undefined },
    { name: 'a quoted string is not edited', text: 'p: "tag: 1.2.0\\n"\n', path: ['p'], want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(editBlockScalar(c.text, 0, c.path, bump), c.want));
  }
});
