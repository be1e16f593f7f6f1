import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import { defaultTransformerConfig } from '../../../src/engine/config/defaults.js';
import { makeTransformerConfig, parseTransformerConfig } from '../../../src/engine/config/load.js';
import type { TransformerConfig } from '../../../src/engine/config/transformer-config.js';
import { Loader } from '../../../src/engine/loader.js';

describe('parseTransformerConfig', () => {
  const cases: { name: string; text: string; check: (c: TransformerConfig) => void }[] = [
    { name: 'empty file', text: '', check: (c) => assert.deepEqual(c.commonLabels, []) },
    { name: 'null lists', text: 'commonLabels: null\nnamePrefix:\n', check: (c) => assert.deepEqual([c.commonLabels, c.namePrefix], [[], []]) },
    {
      name: 'field specs, sorted',
      text: 'images:\n- path: spec/b\n  kind: Foo\n- path: spec/a\n  kind: Deployment\n  create: true\n',
      check: (c) => assert.deepEqual(c.images, [{ path: 'spec/a', kind: 'Deployment', create: true }, { path: 'spec/b', kind: 'Foo' }]),
    },
    {
      name: 'Go matches field names case-insensitively',
      text: 'CommonLabels:\n- Path: x\n  KIND: Foo\n',
      check: (c) => assert.deepEqual(c.commonLabels, [{ path: 'x', kind: 'Foo' }]),
    },
    {
      name: 'name references',
      text: 'nameReference:\n- kind: Secret\n  version: v1\n  fieldSpecs:\n  - path: spec/secret\n    kind: Foo\n',
      check: (c) => assert.deepEqual(c.nameReference, [{ kind: 'Secret', version: 'v1', fieldSpecs: [{ path: 'spec/secret', kind: 'Foo' }] }]),
    },
  ];
  for (const c of cases) it(c.name, () => c.check(parseTransformerConfig(c.text, 'cfg.yaml')));

  const errors: { name: string; text: string; message: string }[] = [
    { name: 'unknown section', text: 'bogus: []\n', message: 'error unmarshaling JSON: while decoding JSON: json: unknown field "bogus"' },
    { name: 'unknown field spec key', text: 'images:\n- path: x\n  bogus: 1\n', message: 'error unmarshaling JSON: while decoding JSON: json: unknown field "bogus"' },
    { name: 'a map instead of a list', text: 'commonLabels: {path: x}\n', message: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field TransformerConfig.commonLabels of type types.FsSlice' },
    { name: 'create as a string', text: 'images:\n- path: x\n  create: "true"\n', message: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field FieldSpec.images.create of type bool' },
    { name: 'YAML 1.1 boolean as a kind', text: 'images:\n- path: x\n  kind: yes\n', message: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go struct field FieldSpec.images.kind of type string' },
    { name: 'a list at the top', text: '- a\n', message: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type builtinconfig.TransformerConfig' },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => assert.throws(() => parseTransformerConfig(c.text, 'cfg.yaml'), (e: unknown) => e instanceof BuildError && e.message === c.message && e.file === 'cfg.yaml'));
  }

  it('error: malformed YAML', () => {
    assert.throws(() => parseTransformerConfig('commonLabels: [\n', 'cfg.yaml'), (e: unknown) => e instanceof BuildError && e.message.startsWith('error converting YAML to JSON: '));
  });
});

describe('makeTransformerConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-config-'));
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'images:\n- path: spec/img\n  kind: Foo\n');
  fs.writeFileSync(path.join(dir, 'b.yaml'), 'images:\n- path: spec/img\n  kind: Foo\n- path: spec/other\n  kind: Foo\n');
  fs.writeFileSync(path.join(dir, 'conflict.yaml'), 'commonLabels:\n- path: metadata/labels\n');
  const loader = Loader.forDirectory(dir, 'root');

  it('without configurations: the defaults', () => assert.deepEqual(makeTransformerConfig(loader, undefined), defaultTransformerConfig()));

  it('files merged into the defaults without duplicates', () => {
    const c = makeTransformerConfig(loader, ['a.yaml', 'b.yaml']);
    assert.equal(c.images.length, defaultTransformerConfig().images.length + 2);
    assert.deepEqual(c.images.filter((fs) => fs.kind === 'Foo').map((fs) => fs.path), ['spec/img', 'spec/other']);
  });

  it('a spec contradicting a default fails', () => {
    assert.throws(() => makeTransformerConfig(loader, ['conflict.yaml']), { message: 'failed to merge CommonLabels fieldSpec: conflicting fieldspecs' });
  });

  it('a missing file fails', () => assert.throws(() => makeTransformerConfig(loader, ['nope.yaml']), BuildError));
});
