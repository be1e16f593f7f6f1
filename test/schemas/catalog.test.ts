import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLED_SCHEMAS_DIR, compareKubeVersions, loadCatalog, LOCAL_SCHEMAS_DIR } from '../../src/schemas/catalog.js';
import { convertCrdDocuments, readCrdDocuments } from '../../src/schemas/crd-files.js';
import { deriveKubernetesSchemas } from '../../src/schemas/kubernetes-models.js';
import { sha256 } from '../../src/files.js';
import { addToCatalog, readIndex, serializeSchema } from '../../src/schemas/store.js';
import { repoRoot } from '../support/paths.js';

const bundled = loadCatalog({ projectDir: fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-empty-')) });
const crdRoot = path.join(repoRoot, '..', 'shared', 'crds');

describe('bundled catalog', () => {
  const lookups: { apiVersion: string; kind: string; deprecated: boolean; project: string }[] = [
    { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', deprecated: false, project: 'cluster-api' },
    { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', deprecated: true, project: 'cluster-api' },
    { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureManagedControlPlane', deprecated: true, project: 'cluster-api-provider-azure' },
    { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AzureASOManagedCluster', deprecated: false, project: 'cluster-api-provider-azure' },
    { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', deprecated: false, project: 'flux/helm-controller' },
    { apiVersion: 'apps/v1', kind: 'Deployment', deprecated: false, project: 'kubernetes-models' },
    { apiVersion: 'v1', kind: 'ConfigMap', deprecated: false, project: 'kubernetes-models' },
  ];
  for (const l of lookups) {
    it(`knows ${l.apiVersion} ${l.kind}`, () => {
      const e = bundled.lookup(l.apiVersion, l.kind);
      assert.ok(e);
      assert.equal(e.deprecated, l.deprecated);
      assert.equal(e.source.project, l.project);
      assert.equal(e.hash, sha256(serializeSchema(e.schema)));
    });
  }

  it('knows nothing of removed versions', () => {
    assert.equal(bundled.lookup('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease'), undefined);
    assert.equal(bundled.lookup('extensions/v1beta1', 'Deployment'), undefined);
    assert.deepEqual(bundled.versionsOf('helm.toolkit.fluxcd.io', 'HelmRelease'), ['v2']);
    assert.deepEqual(bundled.versionsOf('', 'Pod'), ['v1']);
    assert.deepEqual(bundled.versionsOf('ipam.cluster.x-k8s.io', 'IPAddress'), ['v1beta2', 'v1beta1', 'v1alpha1']);
  });

  it('records upstream project, tag and file of each CRD schema', () => {
    assert.deepEqual(bundled.lookup('cluster.x-k8s.io/v1beta2', 'Cluster')!.source, {
      project: 'cluster-api',
      tag: 'v1.14.0',
      file: 'core/cluster.x-k8s.io_clusters.yaml',
    });
    assert.deepEqual(bundled.lookup('source.toolkit.fluxcd.io/v1', 'GitRepository')!.source, {
      project: 'flux/source-controller',
      tag: 'v1.9.1',
      file: 'source.toolkit.fluxcd.io_gitrepositories.yaml',
    });
  });

  it('names once the upstream release each schema comes from', () => {
    assert.deepEqual(bundled.releases(), [
      { project: 'cluster-api', name: 'Cluster API v1.14' },
      { project: 'cluster-api-provider-azure', name: 'CAPZ v1.26' },
      { project: 'flux', name: 'Flux 2.9' },
      { project: 'kubernetes-models', name: 'Kubernetes 1.33' },
    ]);
    assert.equal(bundled.lookup('notification.toolkit.fluxcd.io/v1', 'Receiver')!.release, 'Flux 2.9');
    assert.equal(bundled.lookup('v1', 'ConfigMap')!.release, 'Kubernetes 1.33');
    assert.ok(bundled.entries().every((e) => e.release !== undefined));
  });

  it('no schema file over 2 MB', () => {
    for (const r of readIndex(BUNDLED_SCHEMAS_DIR)) assert.ok(fs.statSync(path.join(BUNDLED_SCHEMAS_DIR, r.file)).size < 2 * 1024 * 1024, r.file);
  });

  it('committed CRD schemas equal a fresh conversion', { skip: !fs.existsSync(crdRoot) && 'shared/crds not present' }, () => {
    const files = ['cluster-api/v1.14.0/core/cluster.x-k8s.io_clusterclasses.yaml', 'flux/helm-controller/v1.6.3/helm.toolkit.fluxcd.io_helmreleases.yaml'];
    const fresh = convertCrdDocuments(readCrdDocuments(files.map((f) => path.join(crdRoot, f)), () => ''));
    assert.equal(fresh.length, 3);
    for (const v of fresh) assert.equal(bundled.lookup(v.apiVersion, v.kind)!.hash, sha256(serializeSchema(v.schema)), `${v.apiVersion} ${v.kind}`);
  });

  it('committed core schemas equal a fresh derivation from kubernetes-models', () => {
    const fresh = deriveKubernetesSchemas();
    assert.equal(fresh.length, bundled.entries().filter((e) => e.source.project === 'kubernetes-models').length);
    for (const s of fresh) assert.equal(bundled.lookup(s.apiVersion, s.kind)?.hash, sha256(serializeSchema(s.schema)), `${s.apiVersion} ${s.kind}`);
  });
});

describe('project-local catalog', () => {
  it('overrides bundled schemas of the same apiVersion and kind and adds new ones', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-project-'));
    const source = { project: 'local', tag: 'imported', file: 'x.yaml' };
    addToCatalog(path.join(project, LOCAL_SCHEMAS_DIR), [
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', deprecated: false, source, schema: { type: 'object' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', deprecated: false, source, schema: { type: 'object', title: 'w' } },
    ]);
    const catalog = loadCatalog({ projectDir: project });
    assert.deepEqual(catalog.lookup('cluster.x-k8s.io/v1beta2', 'Cluster')!.schema, { type: 'object' });
    // an imported schema comes from no bundled release
    assert.equal(catalog.lookup('cluster.x-k8s.io/v1beta2', 'Cluster')!.release, undefined);
    assert.deepEqual(catalog.lookup('example.com/v1', 'Widget')!.schema, { type: 'object', title: 'w' });
    assert.ok(catalog.lookup('cluster.x-k8s.io/v1beta1', 'Cluster')!.deprecated);
    assert.equal(catalog.entries().length, bundled.entries().length + 1);
  });

  it('a second import keeps earlier schemas and replaces the re-imported one', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-project-')), LOCAL_SCHEMAS_DIR);
    const source = { project: 'local', tag: 'imported', file: 'x.yaml' };
    addToCatalog(dir, [{ apiVersion: 'a.io/v1', kind: 'A', deprecated: false, source, schema: { title: '1' } }]);
    addToCatalog(dir, [{ apiVersion: 'b.io/v1', kind: 'B', deprecated: false, source, schema: {} }]);
    addToCatalog(dir, [{ apiVersion: 'a.io/v1', kind: 'A', deprecated: true, source, schema: { title: '2' } }]);
    assert.deepEqual(readIndex(dir).map((r) => [r.apiVersion, r.kind, r.deprecated]), [['a.io/v1', 'A', true], ['b.io/v1', 'B', false]]);
    assert.deepEqual(loadCatalog({ projectDir: path.dirname(path.dirname(dir)) }).lookup('a.io/v1', 'A')!.schema, { title: '2' });
  });
});

describe('compareKubeVersions', () => {
  const cases = [
    { input: ['v1alpha1', 'v1beta1', 'v1', 'v2', 'v1beta2', 'v2beta1', 'foo'], expected: ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'foo'] },
  ];
  for (const c of cases) it(c.input.join(','), () => assert.deepEqual([...c.input].sort(compareKubeVersions), c.expected));
});
