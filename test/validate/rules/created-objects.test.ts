import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdObjects } from '../../../src/validate/rules/created-objects.js';
import { resourcesFromYaml } from '../fake-catalog.js';
import { cm } from './fixtures.js';

describe('objects Kubernetes or controllers create', () => {
  it('gives every namespace used or declared its kube-root-ca.crt ConfigMap and default ServiceAccount, and every ArtifactGenerator artifact its ExternalArtifact', () => {
    const yaml =
      cm('a', 'apps') +
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n---\n' +
      'apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: gen, namespace: flux-system}\nspec:\n  artifacts: [{name: apps}, {name: infra}]\n';
    const keys = createdObjects(resourcesFromYaml(yaml)).map((k) => `${k.group}/${k.kind} ${k.namespace}/${k.name}`);
    assert.deepEqual(keys.sort(), [
      '/ConfigMap apps/kube-root-ca.crt',
      '/ConfigMap default/kube-root-ca.crt',
      '/ConfigMap empty/kube-root-ca.crt',
      '/ConfigMap flux-system/kube-root-ca.crt',
      '/ServiceAccount apps/default',
      '/ServiceAccount default/default',
      '/ServiceAccount empty/default',
      '/ServiceAccount flux-system/default',
      'source.toolkit.fluxcd.io/ExternalArtifact flux-system/apps',
      'source.toolkit.fluxcd.io/ExternalArtifact flux-system/infra',
    ]);
  });
});
