import assert from 'node:assert/strict';
import { BuildError } from '../../src/errors.js';

/** A valid fleet spec that the tests vary; its YAML starts at line 1 (`apiVersion`). */
export const BASE_SPEC = `apiVersion: capifleet.io/v1alpha1
kind: Fleet
metadata:
  name: contoso
spec:
  repository: {url: https://github.com/contoso/fleet}
  defaults:
    provider: aks
    kubernetesVersion: v1.32.6
    location: westeurope
    azure:
      subscriptionID: 00000000-0000-0000-0000-000000000001
      identity: {name: capz, clientID: 00000000-0000-0000-0000-000000000002, tenantID: 00000000-0000-0000-0000-000000000003}
    nodePools:
      - {name: system, mode: System, vmSize: Standard_D4ds_v5, replicas: 3}
    addons:
      ingress-nginx: {enabled: true}
      cert-manager: {enabled: true, values: {crds: {enabled: true}}}
  environments:
    - name: dev
    - name: staging
      promotesFrom: dev
    - name: prod
      promotesFrom: staging
      defaults:
        nodePools:
          - {name: system, replicas: 5}
          - {name: user, mode: User, vmSize: Standard_D8ds_v5, minReplicas: 2, maxReplicas: 10}
        addons:
          ingress-nginx: {version: 4.12.0, values: {controller: {replicaCount: 3}}}
  addons:
    - name: ingress-nginx
      namespace: ingress-nginx
      chart: {name: ingress-nginx, version: 4.11.3, repository: https://kubernetes.github.io/ingress-nginx}
      values: {controller: {replicaCount: 2, service: {type: LoadBalancer}}}
    - name: cert-manager
      namespace: cert-manager
      chart: {name: cert-manager, version: v1.16.1, repository: https://charts.jetstack.io}
  clusters:
    - name: dev-1
      environment: dev
    - name: prod-weu-1
      environment: prod
      labels: {tier: gold}
      nodePools:
        - {name: user, maxReplicas: 20}
      addons:
        ingress-nginx: {values: {controller: {replicaCount: 5}}}
        cert-manager: {enabled: false}
    - name: kind-1
      environment: dev
      provider: docker
      controlPlane: {replicas: 3}
`;

/** The one-line form of the BuildError fn throws (failing when it throws none). */
export function buildErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BuildError) return e.format();
    throw e;
  }
  assert.fail('no error');
}
