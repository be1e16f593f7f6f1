import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { compiledKustomizationCheck } from '../../src/engine/kustomization.js';
import { bundledCatalog, BUNDLED_SCHEMAS_DIR } from '../../src/schemas/catalog.js';
import { readIndex } from '../../src/schemas/store.js';
import { SchemaCompiler, SHIPPED_CODE_ROOT } from '../../src/schemas/compiled-schemas.js';
import { goRegExp } from '../../src/schemas/schema-runtime.js';
import { fakeCatalog, objectSchema, strict } from './fake-catalog.js';

const [entry] = fakeCatalog([
  {
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    schema: objectSchema(strict({ name: { type: 'string', pattern: '^[a-z]+$' }, list: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object' } } })),
  },
]).entries();

const bad = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: {}, spec: { name: 'X', list: [{ k: 1 }, { k: 1 }], other: 1 } };
const errorsOf = (v: ReturnType<SchemaCompiler['validatorFor']>) => (v(bad), (v.errors ?? []).map((e) => `${e.keyword} ${e.instancePath}`).sort());

describe('compiled schemas', () => {
  it('compiles a schema once per hash', () => {
    const compiler = new SchemaCompiler();
    assert.equal(compiler.validatorFor(entry!), compiler.validatorFor({ ...entry!, apiVersion: 'example.io/v2' }));
  });

  it('keeps generated code on disk and a later run loads it instead of compiling', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cache-'));
    const fresh = errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!));
    assert.deepEqual(fresh, ['additionalProperties /spec', 'pattern /spec/name', 'x-kubernetes-list-type /spec/list']);
    const [version] = fs.readdirSync(dir).filter((f) => f.startsWith('ajv-'));
    const files = fs.readdirSync(path.join(dir, version!));
    assert.deepEqual(files, [`${entry!.hash}.cjs`]);
    // the cached code, not the schema, decides: the same errors come back from it
    assert.deepEqual(errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!)), fresh);
    const marked = path.join(dir, version!, files[0]!);
    fs.writeFileSync(marked, 'module.exports.default = function v() { v.errors = [{ keyword: "cached", instancePath: "" }]; return false; };');
    assert.deepEqual(errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!)), ['cached ']);
  });

  it('keeps V8\'s code cache of loaded code, named by the code, and loads the same validator with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cache-'));
    const fresh = errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!));
    const [version] = fs.readdirSync(dir).filter((f) => f.startsWith('ajv-'));
    const loading = new SchemaCompiler({ cacheDir: dir });
    assert.deepEqual(errorsOf(loading.validatorFor(entry!)), fresh);
    loading.saveCodeCaches();
    const caches = fs.readdirSync(path.join(dir, version!)).filter((f) => f.endsWith('.v8'));
    assert.equal(caches.length, 1);
    assert.deepEqual(errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!)), fresh);
    // changed code does not pick up the old code's cache
    fs.writeFileSync(path.join(dir, version!, `${entry!.hash}.cjs`), 'module.exports.default = function v() { v.errors = [{ keyword: "changed", instancePath: "" }]; return false; };');
    assert.deepEqual(errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!)), ['changed ']);
  });

  it('caches the kustomization file check, which finds what the in-process one finds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cache-'));
    const nothingShipped = { shippedRoot: fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-shipped-')) };
    const badKustomization = { resources: 'not-a-list', namePrefix: 1 };
    const errorOf = (v: ReturnType<SchemaCompiler['kustomizationCheck']>) => (v(badKustomization), JSON.stringify(v.errors));
    const expected = errorOf(compiledKustomizationCheck());
    assert.equal(errorOf(new SchemaCompiler({ cacheDir: dir, ...nothingShipped }).kustomizationCheck()), expected);
    const [version] = fs.readdirSync(dir).filter((f) => f.startsWith('ajv-'));
    assert.equal(fs.readdirSync(path.join(dir, version!)).filter((f) => f.startsWith('kustomization-')).length, 1);
    assert.equal(errorOf(new SchemaCompiler({ cacheDir: dir, ...nothingShipped }).kustomizationCheck()), expected);
  });

  it('serves shipped code without compiling, by hash: a changed schema is compiled and cached in the project', () => {
    const shippedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-shipped-'));
    assert.equal(new SchemaCompiler({ cacheDir: shippedRoot }).precompile([entry!]), 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cache-'));
    const compiler = new SchemaCompiler({ cacheDir: dir, shippedRoot });
    assert.deepEqual(errorsOf(compiler.validatorFor(entry!)), ['additionalProperties /spec', 'pattern /spec/name', 'x-kubernetes-list-type /spec/list']);
    compiler.kustomizationCheck();
    assert.equal(compiler.compilations, 0);
    assert.deepEqual(fs.readdirSync(dir), []);
    const changedSchema = { ...entry!.schema, required: ['spec'] };
    const changed = { ...entry!, schema: changedSchema, hash: `${entry!.hash.slice(0, -1)}0` };
    assert.deepEqual(errorsOf(compiler.validatorFor(changed)), ['additionalProperties /spec', 'pattern /spec/name', 'x-kubernetes-list-type /spec/list']);
    assert.equal(compiler.compilations, 1);
    const [version] = fs.readdirSync(dir).filter((f) => f.startsWith('ajv-'));
    assert.deepEqual(fs.readdirSync(path.join(dir, version!)), [`${changed.hash}.cjs`]);
  });

  it('precompiles only missing code and removes code of schemas no longer wanted', () => {
    const shippedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-shipped-'));
    const [other] = fakeCatalog([{ apiVersion: 'example.io/v1', kind: 'Gadget', schema: objectSchema(strict({ size: { type: 'integer' } })) }]).entries();
    assert.equal(new SchemaCompiler({ cacheDir: shippedRoot }).precompile([entry!, other!]), 3);
    assert.equal(new SchemaCompiler({ cacheDir: shippedRoot }).precompile([entry!, other!]), 0);
    assert.equal(new SchemaCompiler({ cacheDir: shippedRoot }).precompile([other!]), 0);
    const [version, ...rest] = fs.readdirSync(shippedRoot);
    assert.deepEqual(rest, []);
    assert.deepEqual(fs.readdirSync(path.join(shippedRoot, version!)).filter((f) => !f.startsWith('kustomization-')), [`${other!.hash}.cjs`]);
  });

  it('the build ships code for every bundled schema, which serves it without compiling', () => {
    const [version, ...rest] = fs.readdirSync(SHIPPED_CODE_ROOT);
    assert.deepEqual(rest, []);
    const shipped = new Set(fs.readdirSync(path.join(SHIPPED_CODE_ROOT, version!)));
    const records = readIndex(BUNDLED_SCHEMAS_DIR);
    assert.equal(records.length, 162);
    assert.deepEqual(records.filter((r) => !shipped.has(`${r.hash}.cjs`)), []);
    const compiler = new SchemaCompiler();
    const cluster = bundledCatalog().lookup('cluster.x-k8s.io/v1beta2', 'Cluster')!;
    assert.equal(compiler.validatorFor(cluster)({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'a' }, spec: { unknown: 1 } }), false);
    assert.equal(compiler.compilations, 0);
  });

  it('recompiles a damaged cache file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cache-'));
    new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!);
    const [version] = fs.readdirSync(dir).filter((f) => f.startsWith('ajv-'));
    fs.writeFileSync(path.join(dir, version!, `${entry!.hash}.cjs`), 'this is not javascript {');
    assert.equal(errorsOf(new SchemaCompiler({ cacheDir: dir }).validatorFor(entry!)).length, 3);
  });
});

describe('Go regular expressions in schema patterns', () => {
  const cases: { pattern: string; input: string; expected: boolean }[] = [
    { pattern: '^[a-z]+$', input: 'abc', expected: true },
    { pattern: '(?i)^abc$', input: 'ABC', expected: true },
    { pattern: '\\Aab\\z', input: 'ab', expected: true },
    { pattern: '^[[:alpha:]]+$', input: 'aZ', expected: true },
    { pattern: '^[[:digit:]]+$', input: 'a', expected: false },
    { pattern: '^(?P<x>unsupported', input: 'anything', expected: true },
  ];
  for (const c of cases) it(`${c.pattern} on ${c.input}`, () => assert.equal(goRegExp(c.pattern).test(c.input), c.expected));
});
