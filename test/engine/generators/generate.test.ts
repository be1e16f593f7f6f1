import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generateConfigMaps } from '../../../src/engine/generators/configmap.js';
import { generateSecrets } from '../../../src/engine/generators/secret.js';
import type { JsonObject } from '../../../src/json/value.js';
import { Loader } from '../../../src/engine/loader.js';
import type { GeneratorOptions, SecretArgs } from '../../../src/engine/types.js';

function loaderWith(files: Record<string, string | Buffer>): Loader {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-gen-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return Loader.forDirectory(dir, 'root');
}

const FILES = {
  'a.txt': 'hello\n',
  'sub/b.conf': 'b',
  'bin.dat': Buffer.from([0x00, 0xff, 0xfe]),
  'app.env': 'X=1\n',
};

describe('generateConfigMaps', () => {
  const cases: { name: string; args: SecretArgs; options?: GeneratorOptions; expected: JsonObject | string }[] = [
    {
      name: 'literals, files and envs',
      args: { name: 'cm', literals: ['l=1'], files: ['a.txt', 'k=sub/b.conf'], envs: ['app.env'] },
      expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { X: '1', 'a.txt': 'hello\n', k: 'b', l: '1' } },
    },
    {
      name: 'non-UTF-8 content goes to binaryData',
      args: { name: 'cm', files: ['bin.dat'] },
      expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, binaryData: { 'bin.dat': 'AP/+' } },
    },
    { name: 'no values, no data field', args: { name: 'cm' }, expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } } },
    {
      name: 'namespace, labels, annotations, immutable',
      args: { name: 'cm', namespace: 'ns' },
      options: { labels: { l: 'v' }, annotations: { a: 'v' }, immutable: true },
      expected: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', labels: { l: 'v' }, annotations: { a: 'v' } }, immutable: true },
    },
    { name: 'duplicate key', args: { name: 'cm', literals: ['a.txt=1'], files: ['a.txt'] }, expected: 'configmap cm illegally repeats the key `a.txt`' },
    { name: 'missing name', args: { literals: ['a=1'] }, expected: 'a configmap must have a name' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => generateConfigMaps([c.args], c.options, loaderWith(FILES));
      if (typeof c.expected === 'string') assert.throws(run, { message: c.expected });
      else assert.deepEqual(run()[0]!.obj, c.expected);
    });
  }
});

describe('generateSecrets', () => {
  const long = 'a'.repeat(105);
  const cases: { name: string; args: SecretArgs; expected: JsonObject }[] = [
    {
      name: 'base64 data, Opaque by default',
      args: { name: 's', literals: ['a=1'], files: ['bin.dat'] },
      expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==', 'bin.dat': 'AP/+' } },
    },
    { name: 'empty data is kept', args: { name: 's', type: 'kubernetes.io/tls' }, expected: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} } },
    {
      name: 'long values wrap at 70 characters with a newline after every line',
      args: { name: 's', literals: [`k=${long}`] },
      expected: {
        apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque',
        data: { k: `${'YWFh'.repeat(17)}YW\nFh${'YWFh'.repeat(17)}\n` },
      },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(generateSecrets([c.args], undefined, loaderWith(FILES))[0]!.obj, c.expected));
});

describe('generated build state', () => {
  const cases: { name: string; args: SecretArgs; global?: GeneratorOptions; hash: boolean; behavior?: string }[] = [
    { name: 'hash by default, no behavior', args: { name: 'x' }, hash: true },
    { name: 'local disable', args: { name: 'x', options: { disableNameSuffixHash: true } }, hash: false },
    { name: 'global disable', args: { name: 'x' }, global: { disableNameSuffixHash: true }, hash: false },
    { name: 'merge behavior', args: { name: 'x', behavior: 'merge' }, hash: true, behavior: 'merge' },
    { name: 'unknown behavior is unspecified', args: { name: 'x', behavior: 'bogus' }, hash: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [r] = generateConfigMaps([c.args], c.global, loaderWith({}));
      assert.equal(r!.state.needsHashSuffix, c.hash);
      assert.equal(r!.state.behavior, c.behavior);
    });
  }
});
