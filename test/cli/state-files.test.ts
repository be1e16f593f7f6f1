import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { listing, tempTree } from '../support/files.js';
import { cliPath } from '../support/paths.js';

/** Runs capifleet; the timeout only keeps a regression (a read blocking on a FIFO) from hanging the suite. */
function capifleet(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n';
const INDEX = '.capifleet/schemas/index.json';
const RECORD = { apiVersion: 'example.com/v1', kind: 'Widget', file: 'example.com/v1/Widget.json', deprecated: false, hash: 'x', source: { project: 'local', tag: 'imported', file: 'w.yaml' } };

const oneLine = (r: { stderr: string }) => assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

describe('state files capifleet reads from a repository', { concurrency: true }, () => {
  const indexes: [string, string | ((root: string) => void), RegExp][] = [
    ['empty', '', /index\.json: the schema catalog index is empty$/],
    ['cut short', '{"schemas": [', /index\.json: the schema catalog index is not valid JSON$/],
    ['a list', '[]', /index\.json: the schema catalog index is not an object with a "schemas" list$/],
    ['schemas a number', '{"schemas": 5}', /not an object with a "schemas" list$/],
    ['a record of the wrong shape', JSON.stringify({ schemas: [{ ...RECORD, kind: 5 }] }), /index\.json: the schema catalog index's schemas\[0\]: kind is not a string$/],
    ['a file outside the catalog', JSON.stringify({ schemas: [{ ...RECORD, file: '../../../etc/hostname' }] }), /schemas\[0\]: file "\.\.\/\.\.\/\.\.\/etc\/hostname" is not a path below the catalog folder$/],
    ['a folder', (root) => fs.mkdirSync(path.join(root, INDEX), { recursive: true }), /cannot read .*index\.json: it is a folder, not a regular file$/],
    ['a FIFO', (root) => {
      fs.mkdirSync(path.join(root, '.capifleet/schemas'), { recursive: true });
      execFileSync('mkfifo', [path.join(root, INDEX)]);
    }, /cannot read .*index\.json: it is a FIFO, not a regular file$/],
  ];
  for (const [what, index, message] of indexes) {
    it(`a schema catalog index that is ${what}: one line, exit 2, for schemas list and validate`, () => {
      const root = tempTree('state', { 'cm.yaml': CONFIGMAP });
      if (typeof index === 'string') {
        fs.mkdirSync(path.join(root, '.capifleet/schemas'), { recursive: true });
        fs.writeFileSync(path.join(root, INDEX), index);
      } else index(root);
      for (const args of [['schemas', 'list'], ['validate', 'cm.yaml', '--no-cache']]) {
        const r = capifleet(args, root);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr.trim(), message);
        assert.doesNotMatch(r.stderr, /internal error/);
        oneLine(r);
      }
    });
  }

  it('a schema file in the catalog that is a symbolic link out of it: one line, exit 2, never read', () => {
    const root = tempTree('state', {
      'cm.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n',
      [INDEX]: JSON.stringify({ schemas: [RECORD] }),
    });
    const outside = tempTree('outside', { 'schema.json': '{"type": "object"}' });
    fs.mkdirSync(path.join(root, '.capifleet/schemas/example.com/v1'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'schema.json'), path.join(root, '.capifleet/schemas/example.com/v1/Widget.json'));
    const r = capifleet(['validate', 'cm.yaml', '--no-cache'], root);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /Widget\.json: the schema catalog index names this file, which leads out of the catalog folder \(to .*schema\.json\)$/);
    oneLine(r);
  });

  it('a schema file an index names that is not JSON: one line naming it, never its bytes', () => {
    const root = tempTree('state', {
      'cm.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n',
      [INDEX]: JSON.stringify({ schemas: [RECORD] }),
      '.capifleet/schemas/example.com/v1/Widget.json': 'secret-token-123',
    });
    const r = capifleet(['validate', 'cm.yaml', '--no-cache'], root);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /Widget\.json: not a JSON Schema object$/);
    assert.doesNotMatch(r.stderr, /secret-token/);
    oneLine(r);
  });

  for (const [what, make] of [
    ['a folder', (file: string) => fs.mkdirSync(file)],
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file])],
  ] as const) {
    it(`a .capifleet.yaml that is ${what}: one line, exit 2, not taken for no configuration`, () => {
      const root = tempTree('state', { 'cm.yaml': CONFIGMAP });
      make(path.join(root, '.capifleet.yaml'));
      const r = capifleet(['validate', 'cm.yaml', '--no-cache'], root);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr.trim(), /^capifleet: cannot read .*\.capifleet\.yaml: it is a (folder|FIFO), not a regular file$/);
      oneLine(r);
    });
  }

  it('caches that are damaged, of the wrong shape or special files are ignored and rebuilt, with a debug note', () => {
    const root = tempTree('state', { 'cm.yaml': CONFIGMAP });
    const clean = capifleet(['validate', 'cm.yaml', '--no-cache'], root);
    assert.equal(clean.status, 0, clean.stderr);
    const cache = path.join(root, '.capifleet-cache');
    fs.mkdirSync(cache);
    fs.writeFileSync(path.join(cache, 'results-v1.json'), '[1, 2');
    execFileSync('mkfifo', [path.join(cache, 'units-v1.json')]);
    const r = capifleet(['validate', 'cm.yaml'], root, { CAPIFLEET_DEBUG: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, clean.stdout);
    assert.match(r.stderr, /debug: .*results-v1\.json: not valid JSON; the cache is rebuilt/);
    assert.match(r.stderr, /debug: .*units-v1\.json: cannot read .*: it is a FIFO, not a regular file; the cache is rebuilt/);
    assert.ok(JSON.parse(fs.readFileSync(path.join(cache, 'results-v1.json'), 'utf8')), 'rebuilt');
    assert.ok(fs.lstatSync(path.join(cache, 'units-v1.json')).isFIFO(), 'a special file is never replaced');
  });

  it('a cache folder that is a symbolic link out of the repository is not used, nothing written through it', () => {
    const outside = tempTree('outside');
    const root = tempTree('state', { 'cm.yaml': CONFIGMAP });
    fs.symlinkSync(outside, path.join(root, '.capifleet-cache'));
    const r = capifleet(['validate', 'cm.yaml'], root, { CAPIFLEET_DEBUG: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /debug: .*\.capifleet-cache: a symbolic link, not a folder; going without this cache/);
    assert.deepEqual(listing(outside), []);
  });

  it("a cache committed to the repository is never used: code in it is never run", () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {kind: Widget}\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}\n';
    const root = tempTree('state', { 'crd.yaml': crd, 'm/w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: x}\n' });
    const someone = { XDG_CACHE_HOME: tempTree('someone') };
    const me = { XDG_CACHE_HOME: tempTree('me') };
    assert.equal(capifleet(['schemas', 'import', 'crd.yaml'], root).status, 0);
    const uncached = capifleet(['validate', 'm', '--no-cache'], root);
    assert.equal(uncached.status, 1, uncached.stderr);
    // someone else's run fills the cache; then every file of it is replaced by code that leaves a mark
    assert.equal(capifleet(['validate', 'm'], root, someone).status, 1);
    const marker = path.join(tempTree('marker'), 'ran');
    const cache = path.join(root, '.capifleet-cache');
    const hash = (JSON.parse(fs.readFileSync(path.join(root, INDEX), 'utf8')) as { schemas: { hash: string }[] }).schemas[0]!.hash;
    const codeDirs = fs.readdirSync(cache).filter((d) => fs.statSync(path.join(cache, d)).isDirectory());
    assert.ok(codeDirs.length > 0);
    for (const dir of codeDirs) {
      const forged = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports.default = () => true;`;
      for (const name of [...fs.readdirSync(path.join(cache, dir)), `${hash}.cjs`]) fs.writeFileSync(path.join(cache, dir, name), forged);
    }
    const r = capifleet(['validate', 'm'], root, me);
    assert.equal(r.status, uncached.status, r.stderr);
    assert.equal(r.stdout, uncached.stdout);
    assert.equal(fs.existsSync(marker), false, 'code from the repository ran');
  });
});
