import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isObject, type JsonObject } from '../../src/json/value.js';
import { loadCatalog, type SchemaEntry } from '../../src/schemas/catalog.js';
import { SchemaCompiler } from '../../src/schemas/compiled-schemas.js';
import { SchemaChecker, type SchemaFinding } from '../../src/validate/schema-check.js';
import { parseDocuments } from '../../src/yaml/parse.js';
import { repoRoot } from '../support/paths.js';
import { catches, mutationsOf, synthesize, type Mutation } from './mutations.js';

/**
 * Every bundled kind and served version: upstream-like valid manifests (hand-written fixtures
 * for the kinds fleets use, synthesized from the schema for the rest) validate with no finding,
 * and each of their mutations — unknown field, wrong type, enum and pattern violations, a
 * required field removed, a removed apiVersion — is flagged naming the mutated field.
 */

const catalog = loadCatalog({ projectDir: fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-empty-')) });
// the build's shipped validators serve the bundled schemas; the cache keeps their V8 code caches between runs
const compiler = new SchemaCompiler({ cacheDir: path.join(os.tmpdir(), 'capifleet-test-schema-cache') });
const checker = new SchemaChecker(catalog, compiler, { missingSchemas: 'error', strictVars: false });
/** Mutations of each kind checked per sample, spread over the object; all of them for hand-written fixtures. */
const SYNTHESIZED_MUTATIONS_PER_KIND = 8;
const fixturesDir = path.join(repoRoot, 'test', 'validate', 'fixtures');
const crdRoot = path.join(repoRoot, '..', 'shared', 'crds');

interface Sample {
  entry: SchemaEntry;
  object: JsonObject;
  origin: string;
}

function readYamlObjects(file: string): JsonObject[] {
  return parseDocuments(fs.readFileSync(file, 'utf8'), file)
    .map((d) => d.value)
    .filter(isObject);
}

const fixtures = fs
  .readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => readYamlObjects(path.join(fixturesDir, f)).map((object) => ({ object, origin: `fixtures/${f}` })));

const entries = catalog.entries().filter((e) => e.source.project !== 'capifleet');

function samplesOf(entry: SchemaEntry): Sample[] {
  const own = fixtures.filter((f) => f.object.apiVersion === entry.apiVersion && f.object.kind === entry.kind);
  const synthesized = synthesize(entry.schema);
  const out: Sample[] = own.map((f) => ({ entry, ...f }));
  if (isObject(synthesized ?? null)) {
    const object = { ...(synthesized as JsonObject), apiVersion: entry.apiVersion, kind: entry.kind, metadata: { name: 'sample', namespace: 'default' } };
    out.push({ entry, object, origin: 'synthesized' });
  }
  return out;
}

const samples = entries.flatMap(samplesOf);

/** Findings other than the deprecation warning a served-but-deprecated version always gets. */
function errorsOf(obj: JsonObject): SchemaFinding[] {
  return checker.check(obj).filter((f) => f.ruleId !== 'schema/deprecated-version');
}

/** Versions of the kind's group that are not served for it: what a manifest written for an older release would use. */
function removedVersions(entry: SchemaEntry): string[] {
  const slash = entry.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : entry.apiVersion.slice(0, slash);
  return ['v1alpha3', 'v1beta1', 'v2beta1']
    .map((v) => (group ? `${group}/${v}` : v))
    .filter((v) => !catalog.lookup(v, entry.kind))
    .slice(0, 1);
}

describe('every bundled kind', () => {
  it('has a sample', () => {
    const without = entries.filter((e) => !samples.some((s) => s.entry === e)).map((e) => `${e.apiVersion} ${e.kind}`);
    assert.deepEqual(without, []);
  });

  it('has a hand-written fixture for each kind fleets use', () => {
    const important = ['Cluster', 'MachineDeployment', 'MachinePool', 'MachineHealthCheck', 'ClusterClass', 'KubeadmControlPlane', 'KubeadmConfigTemplate', 'AzureCluster', 'AzureMachineTemplate', 'AzureClusterIdentity', 'AzureASOManagedCluster', 'AzureASOManagedControlPlane', 'AzureASOManagedMachinePool', 'GitRepository', 'OCIRepository', 'HelmRepository', 'Kustomization', 'HelmRelease', 'Deployment', 'Service', 'CustomResourceDefinition'];
    const missing = important.filter((k) => !fixtures.some((f) => f.object.kind === k));
    assert.deepEqual(missing, []);
  });

  it('fixtures are all of bundled kinds', () => {
    const unknown = fixtures.filter((f) => !catalog.lookup(String(f.object.apiVersion), String(f.object.kind))).map((f) => `${f.origin}: ${String(f.object.apiVersion)} ${String(f.object.kind)}`);
    assert.deepEqual(unknown, []);
  });

  it('valid samples have no findings', () => {
    const failures = samples.flatMap((s) => errorsOf(s.object).map((f) => `${s.origin} ${s.entry.apiVersion} ${s.entry.kind}: ${f.message} [${f.ruleId}]`));
    assert.deepEqual(failures, []);
  });

  it('every mutation is flagged at the mutated field', () => {
    const misses: string[] = [];
    const counts = new Map<string, number>();
    for (const s of samples) {
      const all = mutationsOf(s.object, s.entry.schema, removedVersions(s.entry));
      for (const m of s.origin === 'synthesized' ? spread(all, SYNTHESIZED_MUTATIONS_PER_KIND) : all) {
        counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
        if (!catches(checker.check(m.object), m)) misses.push(describeMiss(s, m));
      }
    }
    for (const kind of ['unknown-field', 'wrong-type', 'enum', 'pattern', 'range', 'required', 'removed-version']) assert.ok((counts.get(kind) ?? 0) > 0, `no ${kind} mutation made`);
    assert.deepEqual(misses, []);
  });

  it('upstream CRDs validate as CustomResourceDefinitions', { skip: !fs.existsSync(crdRoot) && 'shared/crds not present' }, () => {
    const files = fs.readdirSync(crdRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => path.join(crdRoot, f));
    const crds = files.flatMap(readYamlObjects).filter((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(crds.length > 50);
    const failures = crds.flatMap((crd) => errorsOf(crd).map((f) => `${String((crd.metadata as JsonObject).name)}: ${f.message}`));
    assert.deepEqual(failures.slice(0, 10), []);
  });
});

/** At most n mutations of each kind, evenly spaced through the object (root to leaves). */
function spread(mutations: Mutation[], n: number): Mutation[] {
  const byKind = new Map<string, Mutation[]>();
  for (const m of mutations) byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), m]);
  return [...byKind.values()].flatMap((list) => (list.length <= n ? list : Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!)));
}

function describeMiss(s: Sample, m: Mutation): string {
  const got = checker.check(m.object).map((f) => `${f.ruleId} ${f.path ?? ''}`).join('; ') || 'nothing';
  return `${s.origin} ${s.entry.apiVersion} ${s.entry.kind}: ${m.kind} at ${m.path} -> ${got}`;
}
