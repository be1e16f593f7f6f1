import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFleet } from '../../src/fleet/load.js';

/** The spec of issue 4, its placeholders (<uuid>, ...) filled in. */
const ISSUE_EXAMPLE = `apiVersion: capifleet.io/v1alpha1
kind: Fleet
metadata:
  name: contoso
spec:
  namespace: contoso-clusters   # management-cluster namespace of the cluster objects (default: metadata.name)
  repository: {url: https://github.com/contoso/fleet, branch: main}   # this repo, as Flux pulls it
  defaults:                     # ClusterSettings for every cluster
    provider: aks               # aks | aks-azuremanaged | azure | docker
    kubernetesVersion: v1.32.6
    location: westeurope
    azure: {subscriptionID: 6f1f2f3e-0000-4000-8000-000000000001, identity: {name: capz, clientID: 6f1f2f3e-0000-4000-8000-000000000002, tenantID: 6f1f2f3e-0000-4000-8000-000000000003}}
    nodePools: [{name: system, mode: System, vmSize: Standard_D4ds_v5, replicas: 3}]   # also minReplicas/maxReplicas
    controlPlane: {replicas: 3, vmSize: Standard_D4ds_v5}   # self-managed providers only
    addons: {ingress-nginx: {enabled: true}}   # per addon: enabled, version, values
  environments:
    - name: dev
    - name: staging
      promotesFrom: dev
    - name: prod
      promotesFrom: staging
      defaults: {nodePools: [{name: system, replicas: 5}]}   # ClusterSettings for this environment
  addons:
    - name: ingress-nginx
      namespace: ingress-nginx
      chart: {name: ingress-nginx, version: 4.11.3, repository: https://kubernetes.github.io/ingress-nginx}
      values: {controller: {replicaCount: 2}}
  clusters:
    - name: prod-weu-1
      environment: prod
      location: westeurope       # any ClusterSettings field
      labels: {tier: gold}
      addons: {ingress-nginx: {values: {controller: {replicaCount: 5}}}, cert-manager: {enabled: false}}
`;

describe("issue 4's example spec", () => {
  it('loads and resolves as the issue describes', () => {
    const fleet = loadFleet(ISSUE_EXAMPLE, 'fleet.yaml');
    assert.equal(fleet.namespace, 'contoso-clusters');
    const [cluster] = fleet.clusters;
    assert.deepEqual(cluster!.nodePools, [{ name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 5 }]);
    assert.deepEqual(cluster!.addons.map((a) => [a.name, a.values]), [['ingress-nginx', { controller: { replicaCount: 5 } }]]);
    assert.deepEqual(cluster!.labels, { tier: 'gold' });
  });
});
