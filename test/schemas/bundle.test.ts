import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { renderBundledCatalog, writeCatalogFolder } from '../../src/schemas/bundle.js';

describe('writeCatalogFolder', () => {
  it('replaces the generated catalog and keeps the hand-written fleet spec schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-catalog-'));
    fs.mkdirSync(path.join(dir, 'fleet'));
    fs.writeFileSync(path.join(dir, 'fleet', 'v1alpha1.json'), '{}\n');
    fs.mkdirSync(path.join(dir, 'stale.io', 'v1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale.io', 'v1', 'Old.json'), '{}\n');
    writeCatalogFolder(dir, new Map([['index.json', '{"schemas":[]}\n'], ['apps/v1/Deployment.json', '{}\n']]));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['apps', 'fleet', 'index.json']);
    assert.equal(fs.readFileSync(path.join(dir, 'fleet', 'v1alpha1.json'), 'utf8'), '{}\n');
  });
});

describe('renderBundledCatalog', () => {
  it('refuses CRDs of a project whose release it cannot name', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-crds-'));
    fs.mkdirSync(path.join(root, 'acme', 'v1.0.0'), { recursive: true });
    fs.writeFileSync(path.join(root, 'acme', 'PROVENANCE.md'), 'Tag: `v1.0.0`\n');
    const crd = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: widgets.acme.io}', 'spec:', '  group: acme.io', '  names: {kind: Widget, plural: widgets}', '  scope: Namespaced', '  versions:', '  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}', ''].join('\n');
    fs.writeFileSync(path.join(root, 'acme', 'v1.0.0', 'widgets.yaml'), crd);
    assert.throws(() => renderBundledCatalog(root), /no release name for the CRDs of acme; add one to RELEASE_NAMES/);
  });
});
