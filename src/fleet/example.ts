/**
 * The commented fleet.yaml `capifleet init` writes: every part of the spec once, with what it
 * does, so a team edits it rather than starting from a blank page. It must load with loadFleet.
 * `schemaRef` is where editors find the spec's JSON Schema (a path or URL).
 */
export function exampleFleet(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
#
# The fleet: every workload cluster, generated into base/ and overlays/<env>/<cluster>/ by
# \`capifleet generate\`. Edit this file, never the generated ones; add a cluster with
# \`capifleet add-cluster NAME --env ENV\`.
#
# A cluster's settings resolve spec.defaults <- its environment's defaults <- its own fields:
# maps merge deeply (addon values too), nodePools merge by name, anything else is replaced.
apiVersion: capifleet.io/v1alpha1
kind: Fleet
metadata:
  name: example                 # also the management-cluster namespace unless spec.namespace is set
spec:
  namespace: example-clusters   # where the cluster objects live on the management cluster
  repository:                   # this repository, as Flux on the management cluster pulls it
    url: https://github.com/example/fleet
    branch: main
    # path: deploy/fleet        # where this file and its tree lie in the repository, if not at its root

  # Settings of every cluster.
  defaults:
    provider: aks               # aks | aks-azuremanaged | azure | docker
    kubernetesVersion: v1.32.6
    location: westeurope
    azure:                      # replace with your subscription and identity
      subscriptionID: 00000000-0000-0000-0000-000000000000
      identity:
        name: cluster-identity
        clientID: 00000000-0000-0000-0000-000000000000
        tenantID: 00000000-0000-0000-0000-000000000000
    nodePools:
      - name: system
        mode: System            # AKS needs at least one System pool
        vmSize: Standard_D4ds_v5
        replicas: 3
    controlPlane:               # self-managed providers (azure, docker) only
      replicas: 3
      vmSize: Standard_D4ds_v5
    addons:                     # an addon is installed where its resolved enabled is true
      ingress-nginx: {enabled: true}
      cert-manager: {enabled: true}

  environments:
    - name: dev
    - name: staging
      promotesFrom: dev
    - name: prod
      promotesFrom: staging
      defaults:                 # settings of prod's clusters, over spec.defaults
        nodePools:
          - name: system        # merges over the default system pool
            replicas: 5
          - name: user          # a new pool, autoscaled
            mode: User
            vmSize: Standard_D8ds_v5
            minReplicas: 3
            maxReplicas: 10
        addons:
          ingress-nginx:
            values: {controller: {replicaCount: 3}}

  # Helm charts Flux installs into the workload clusters.
  addons:
    - name: ingress-nginx
      namespace: ingress-nginx
      chart: {name: ingress-nginx, version: 4.11.3, repository: https://kubernetes.github.io/ingress-nginx}
      values: {controller: {replicaCount: 2}}
    - name: cert-manager
      namespace: cert-manager
      chart: {name: cert-manager, version: v1.16.1, repository: https://charts.jetstack.io}
      values: {crds: {enabled: true}}

  clusters:
    - name: dev-local           # a local cluster with CAPD, for trying changes out
      environment: dev
      provider: docker
      controlPlane: {replicas: 1}
    - name: staging-weu-1
      environment: staging
    - name: prod-weu-1
      environment: prod
      labels: {tier: gold}
    - name: prod-neu-1
      environment: prod
      location: northeurope
      addons:
        cert-manager: {enabled: false}
`;
}
