import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFleet } from '../../src/fleet/load.js';
import type { ResolvedCluster } from '../../src/fleet/types.js';
import { BASE_SPEC, buildErrorOf } from './specs.js';

/** BASE_SPEC with each `from` replaced by its `to` (each must occur exactly once). */
function edited(...edits: [from: string, to: string][]): string {
  let text = BASE_SPEC;
  for (const [from, to] of edits) {
    assert.equal(text.split(from).length, 2, `exactly one ${JSON.stringify(from)} in the spec`);
    text = text.replace(from, to);
  }
  return text;
}

const errorOf = (text: string): string => buildErrorOf(() => loadFleet(text, 'fleet.yaml'));

function cluster(text: string, name: string): ResolvedCluster {
  const found = loadFleet(text, 'fleet.yaml').clusters.find((c) => c.name === name);
  assert.ok(found, name);
  return found;
}

const AZURE = {
  subscriptionID: '00000000-0000-0000-0000-000000000001',
  identity: { name: 'capz', clientID: '00000000-0000-0000-0000-000000000002', tenantID: '00000000-0000-0000-0000-000000000003' },
};
const INGRESS_CHART = { name: 'ingress-nginx', version: '4.11.3', repository: 'https://kubernetes.github.io/ingress-nginx' };
const CERT_MANAGER_CHART = { name: 'cert-manager', version: 'v1.16.1', repository: 'https://charts.jetstack.io' };

describe('loadFleet resolves each cluster', () => {
  const fleet = loadFleet(BASE_SPEC, 'fleet.yaml');

  it('fills the fleet defaults: namespace = metadata.name, branch main', () => {
    assert.equal(fleet.name, 'contoso');
    assert.equal(fleet.namespace, 'contoso');
    assert.deepEqual(fleet.repository, { url: 'https://github.com/contoso/fleet', branch: 'main', path: '' });
    assert.deepEqual(fleet.environments.map((e) => e.name), ['dev', 'staging', 'prod']);
    assert.deepEqual(fleet.addons.map((a) => a.name), ['ingress-nginx', 'cert-manager']);
    assert.equal(fleet.file, 'fleet.yaml');
    assert.equal(fleet.spec.metadata.name, 'contoso');
  });

  for (const [written, normalized] of [['deploy/fleet', 'deploy/fleet'], ['./deploy/fleet/', 'deploy/fleet'], ['.', ''], ['./', '']]) {
    it(`reads repository.path ${written} as ${normalized || 'the root'}`, () => {
      const spec = BASE_SPEC.replace('{url: https://github.com/contoso/fleet}', `{url: https://github.com/contoso/fleet, path: ${JSON.stringify(written)}}`);
      assert.notEqual(spec, BASE_SPEC);
      assert.equal(loadFleet(spec, 'fleet.yaml').repository.path, normalized);
    });
  }

  it('a cluster with only fleet defaults gets them, defaulted', () => {
    const expected: ResolvedCluster = {
      name: 'dev-1',
      environment: 'dev',
      namespace: 'contoso',
      provider: 'aks',
      capiVersion: 'v1beta2',
      kubernetesVersion: 'v1.32.6',
      location: 'westeurope',
      azure: { ...AZURE, resourceGroup: 'dev-1' },
      nodePools: [{ name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 3 }],
      controlPlane: {},
      addons: [
        { name: 'ingress-nginx', namespace: 'ingress-nginx', chart: INGRESS_CHART, values: { controller: { replicaCount: 2, service: { type: 'LoadBalancer' } } } },
        { name: 'cert-manager', namespace: 'cert-manager', chart: CERT_MANAGER_CHART, values: { crds: { enabled: true } } },
      ],
      labels: {},
    };
    assert.deepEqual(fleet.clusters[0], expected);
  });

  it('merges defaults <- environment <- cluster: pools and addons by name, values deeply, version overridden', () => {
    const expected: ResolvedCluster = {
      name: 'prod-weu-1',
      environment: 'prod',
      namespace: 'contoso',
      provider: 'aks',
      capiVersion: 'v1beta2',
      kubernetesVersion: 'v1.32.6',
      location: 'westeurope',
      azure: { ...AZURE, resourceGroup: 'prod-weu-1' },
      nodePools: [
        { name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 5 },
        { name: 'user', mode: 'User', vmSize: 'Standard_D8ds_v5', minReplicas: 2, maxReplicas: 20, replicas: 2 },
      ],
      controlPlane: {},
      addons: [
        {
          name: 'ingress-nginx',
          namespace: 'ingress-nginx',
          chart: { ...INGRESS_CHART, version: '4.12.0' },
          values: { controller: { replicaCount: 5, service: { type: 'LoadBalancer' } } },
        },
      ],
      labels: { tier: 'gold' },
    };
    assert.deepEqual(fleet.clusters[1], expected);
  });

  it('a docker cluster gets no Azure resource group and keeps its control plane replicas', () => {
    const kind = fleet.clusters[2]!;
    assert.equal(kind.provider, 'docker');
    assert.deepEqual(kind.azure, AZURE);
    assert.deepEqual(kind.controlPlane, { replicas: 3 });
  });

  for (const [name, text, clusterName, pick, expected] of [
    ['spec.namespace overrides metadata.name', edited(['spec:\n', 'spec:\n  namespace: fleet-system\n']), 'dev-1', (c: ResolvedCluster) => c.namespace, 'fleet-system'],
    ['capiVersion v1beta1 at the environment', edited(['    - name: dev\n', '    - name: dev\n      defaults: {capiVersion: v1beta1}\n']), 'dev-1', (c: ResolvedCluster) => c.capiVersion, 'v1beta1'],
    ['docker control plane defaults to 1 replica', edited(['      controlPlane: {replicas: 3}\n', '']), 'kind-1', (c: ResolvedCluster) => c.controlPlane, { replicas: 1 }],
    [
      'azure control plane defaults to 3 replicas',
      edited(['      provider: docker\n      controlPlane: {replicas: 3}\n', '      provider: azure\n      controlPlane: {vmSize: Standard_D2s_v3}\n']),
      'kind-1',
      (c: ResolvedCluster) => c.controlPlane,
      { replicas: 3, vmSize: 'Standard_D2s_v3' },
    ],
    ['an explicit resource group is kept', edited(['      identity:', '      resourceGroup: rg-fleet\n      identity:']), 'dev-1', (c: ResolvedCluster) => c.azure.resourceGroup, 'rg-fleet'],
    [
      'a level that mentions an addon without enabled does not enable it',
      edited(['      cert-manager: {enabled: false}\n', '      cert-manager: {enabled: false}\n    - name: prod-2\n      environment: prod\n      addons: {ingress-nginx: {enabled: false}}\n']),
      'prod-2',
      (c: ResolvedCluster) => c.addons.map((a) => a.name),
      ['cert-manager'],
    ],
    [
      'a cluster re-enables an addon its environment disables',
      edited(['        cert-manager: {enabled: false}\n', '        cert-manager: {enabled: true}\n'], ['{controller: {replicaCount: 3}}}\n', '{controller: {replicaCount: 3}}}\n          cert-manager: {enabled: false}\n']),
      'prod-weu-1',
      (c: ResolvedCluster) => c.addons.map((a) => a.name),
      ['ingress-nginx', 'cert-manager'],
    ],
    [
      'an AKS pool without a mode is a User pool when another is the System pool',
      edited(['{name: user, maxReplicas: 20}', '{name: user, maxReplicas: 20}\n        - {name: batch, vmSize: Standard_D8ds_v5}']),
      'prod-weu-1',
      (c: ResolvedCluster) => c.nodePools.map((p) => `${p.name}:${p.mode}:${p.replicas}`),
      ['system:System:5', 'user:User:2', 'batch:User:1'],
    ],
    [
      'where no AKS pool says mode: System, the first without a mode is the System pool',
      edited(['{name: system, mode: System,', '{name: system,'], ['{name: user, mode: User,', '{name: user,']),
      'prod-weu-1',
      (c: ResolvedCluster) => c.nodePools.map((p) => `${p.name}:${p.mode}`),
      ['system:System', 'user:User'],
    ],
    [
      'an addon the fleet does not define may be disabled (as in the issue\'s example)',
      edited(['cert-manager: {enabled: false}', 'cert-manager: {enabled: false}\n        external-dns: {enabled: false}']),
      'prod-weu-1',
      (c: ResolvedCluster) => c.addons.map((a) => a.name),
      ['ingress-nginx'],
    ],
    [
      'labels merge across levels',
      edited(['    nodePools:\n      - {name: system, mode: System', '    labels: {team: platform, tier: silver}\n    nodePools:\n      - {name: system, mode: System'], ),
      'prod-weu-1',
      (c: ResolvedCluster) => c.labels,
      { team: 'platform', tier: 'gold' },
    ],
  ] as const) {
    it(name, () => assert.deepEqual(pick(cluster(text, clusterName)), expected));
  }
});

const LONG = (n: number, prefix = 'c') => (prefix + 'x'.repeat(n)).slice(0, n);

describe('loadFleet rejects bad specs with one line: file:line: what is wrong', () => {
  const cases: [string, string, string][] = [
    ['YAML syntax', edited(['kind: Fleet', 'kind: [Fleet']), 'fleet.yaml:3: invalid YAML: ...'],
    ['duplicate key', edited(['  name: contoso\n', '  name: contoso\n  name: again\n']), 'fleet.yaml:5: invalid YAML: mapping key "name" already defined at line 4'],
    ['two documents', `${BASE_SPEC}---\napiVersion: v1\n`, 'fleet.yaml:55: expected one YAML document holding the Fleet, found 2'],
    ['wrong kind', edited(['kind: Fleet', 'kind: Flet']), 'fleet.yaml:2: kind: expected "Fleet", got string "Flet"'],
    ['unknown field in defaults', edited(['    location: westeurope', '    locaton: westeurope']), 'fleet.yaml:10: unknown field "spec.defaults.locaton" (allowed: provider, capiVersion, kubernetesVersion, location, azure, nodePools, controlPlane, addons, labels)'],
    ['unknown field in a cluster', edited(['      labels: {tier: gold}', '      lables: {tier: gold}']), 'fleet.yaml:44: unknown field "spec.clusters[1].lables" (allowed: name, environment, provider, capiVersion, kubernetesVersion, location, azure, nodePools, controlPlane, addons, labels)'],
    ['unknown field in an addon setting', edited(['ingress-nginx: {enabled: true}', 'ingress-nginx: {enable: true}']), 'fleet.yaml:17: unknown field "spec.defaults.addons.ingress-nginx.enable" (allowed: enabled, version, values)'],
    ['missing required field', edited(['    - name: dev-1\n      environment: dev\n', '    - name: dev-1\n']), 'fleet.yaml:40: spec.clusters[0]: missing required field "environment"'],
    ['wrong type', edited(['D4ds_v5, replicas: 3}', 'D4ds_v5, replicas: three}']), 'fleet.yaml:15: spec.defaults.nodePools[0].replicas: expected integer, got string "three"'],
    ['yes is not a boolean', edited(['ingress-nginx: {enabled: true}', 'ingress-nginx: {enabled: yes}']), 'fleet.yaml:17: spec.defaults.addons.ingress-nginx.enabled: expected boolean, got string "yes"'],
    ['provider enum', edited(['      provider: docker', '      provider: gke']), 'fleet.yaml:52: spec.clusters[2].provider: string "gke" is not one of "aks", "aks-azuremanaged", "azure", "docker"'],
    ['capiVersion enum', edited(['      provider: docker', '      provider: docker\n      capiVersion: v1alpha4']), 'fleet.yaml:53: spec.clusters[2].capiVersion: string "v1alpha4" is not one of "v1beta1", "v1beta2"'],
    ['node pool mode enum', edited(['mode: User', 'mode: user']), 'fleet.yaml:28: spec.environments[2].defaults.nodePools[1].mode: string "user" is not one of "System", "User"'],
    ['malformed Kubernetes version', edited(['kubernetesVersion: v1.32.6', 'kubernetesVersion: v1.32']), 'fleet.yaml:9: spec.defaults.kubernetesVersion: "v1.32" must be a Kubernetes version v<major>.<minor>.<patch>, e.g. v1.32.6'],
    ['Kubernetes version read as a number', edited(['kubernetesVersion: v1.32.6', 'kubernetesVersion: 1.32']), 'fleet.yaml:9: spec.defaults.kubernetesVersion: expected string, got number 1.32 (quote it to make it a string)'],
    ['repository path absolute', edited(['{url: https://github.com/contoso/fleet}', '{url: https://github.com/contoso/fleet, path: /deploy}']), 'fleet.yaml:6: spec.repository.path: "/deploy" must be a folder relative to the repository root (e.g. deploy/fleet), without .. or spaces'],
    ['repository path leaving the repository', edited(['{url: https://github.com/contoso/fleet}', '{url: https://github.com/contoso/fleet, path: deploy/../..}']), 'fleet.yaml:6: spec.repository.path: "deploy/../.." must be a folder relative to the repository root (e.g. deploy/fleet), without .. or spaces'],
    ['repository path empty', edited(['{url: https://github.com/contoso/fleet}', '{url: https://github.com/contoso/fleet, path: ""}']), 'fleet.yaml:6: spec.repository.path: "" must be a folder relative to the repository root (e.g. deploy/fleet), without .. or spaces'],
    ['repository URL', edited(['{url: https://github.com/contoso/fleet}', '{url: github.com/contoso/fleet}']), 'fleet.yaml:6: spec.repository.url: "github.com/contoso/fleet" must be a Git URL Flux can clone: https://, http:// or ssh://'],
    ['subscription ID not a UUID', edited(['subscriptionID: 00000000-0000-0000-0000-000000000001', 'subscriptionID: <uuid>']), 'fleet.yaml:12: spec.defaults.azure.subscriptionID: "<uuid>" must be a UUID such as 00000000-0000-0000-0000-000000000000'],
    ['addon values not a map', edited(['values: {controller: {replicaCount: 2, service: {type: LoadBalancer}}}', 'values: 5']), 'fleet.yaml:35: spec.addons[0].values: expected object, got integer 5'],
    ['label value too long', edited(['labels: {tier: gold}', `labels: {tier: ${'g'.repeat(64)}}`]), `fleet.yaml:44: spec.clusters[1].labels.tier: "${'g'.repeat(64)}" must NOT have more than 63 characters`],
    ['label key invalid', edited(['labels: {tier: gold}', 'labels: {-tier: gold}']), 'fleet.yaml:44: spec.clusters[1].labels: key "-tier" must be a Kubernetes label key: an optional DNS subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit'],
    ['resource group ending with a period', edited(['      identity:', '      resourceGroup: rg.\n      identity:']), 'fleet.yaml:13: spec.defaults.azure.resourceGroup: "rg." must be an Azure resource group name: letters, digits, \'_\', \'-\', \'.\', \'(\' and \')\', not ending with \'.\''],
    ['name not a DNS label', edited(['    - name: dev-1', '    - name: Dev_1']), 'fleet.yaml:40: spec.clusters[0].name: "Dev_1" is not a DNS-1123 label: use lowercase letters, digits and \'-\', starting and ending with a letter or digit'],
    ['name escaping the tree', edited(['    - name: kind-1', '    - name: ../kind-1']), 'fleet.yaml:50: spec.clusters[2].name: "../kind-1" would escape the generated tree: names become folders under base/ and overlays/, so they may not be "." or ".." or contain "/" or "\\"'],
    ['environment name escaping the tree', edited(['    - name: dev\n', '    - name: ..\n']), 'fleet.yaml:20: spec.environments[0].name: ".." would escape the generated tree: names become folders under base/ and overlays/, so they may not be "." or ".." or contain "/" or "\\"'],
    ['addon key not a DNS label', edited(['      cert-manager: {enabled: true,', '      cert_manager: {enabled: true,']), 'fleet.yaml:18: spec.defaults.addons: key "cert_manager" is not a DNS-1123 label: use lowercase letters, digits and \'-\', starting and ending with a letter or digit'],
    ['name longer than 63', edited(['    - name: kind-1', `    - name: ${LONG(64, 'k')}`]), `fleet.yaml:50: spec.clusters[2].name: "${LONG(64, 'k')}" is 64 characters long; a DNS-1123 label has at most 63`],
    ['duplicate cluster', edited(['    - name: kind-1', '    - name: dev-1']), 'fleet.yaml:50: duplicate cluster name "dev-1" (first at line 40)'],
    ['duplicate environment', edited(['    - name: staging', '    - name: dev']), 'fleet.yaml:21: duplicate environment name "dev" (first at line 20)'],
    ['duplicate addon', edited(['    - name: cert-manager', '    - name: ingress-nginx']), 'fleet.yaml:36: duplicate addon name "ingress-nginx" (first at line 32)'],
    ['duplicate node pool', edited(['{name: user, mode: User', '{name: system, mode: User']), 'fleet.yaml:28: duplicate node pool name "system" (first at line 27)'],
    ['unknown environment', edited(['      environment: prod', '      environment: production']), 'fleet.yaml:43: cluster "prod-weu-1": environment "production" is not defined in spec.environments (defined: dev, staging, prod)'],
    ['unknown addon', edited(['cert-manager: {enabled: false}', 'cert-mgr: {enabled: true}']), 'fleet.yaml:49: addon "cert-mgr" is not defined in spec.addons (defined: ingress-nginx, cert-manager)'],
    ['unknown addon configured, not enabled', edited(['cert-manager: {enabled: false}', 'cert-mgr: {values: {a: 1}}']), 'fleet.yaml:49: addon "cert-mgr" is not defined in spec.addons (defined: ingress-nginx, cert-manager)'],
    ['promotesFrom unknown', edited(['promotesFrom: dev', 'promotesFrom: qa']), 'fleet.yaml:22: environment "staging" promotesFrom "qa", which is not an environment (defined: dev, staging, prod)'],
    ['promotesFrom cycle', edited(['    - name: dev\n', '    - name: dev\n      promotesFrom: prod\n']), 'fleet.yaml:21: promotesFrom forms a cycle: dev <- prod <- staging <- dev'],
    ['promotesFrom itself', edited(['promotesFrom: dev', 'promotesFrom: staging']), 'fleet.yaml:22: promotesFrom forms a cycle: staging <- staging'],
    ['no Kubernetes version', edited(['    kubernetesVersion: v1.32.6\n', '']), "fleet.yaml:39: cluster \"dev-1\": no Kubernetes version is set (set kubernetesVersion in spec.defaults, the environment's defaults or the cluster)"],
    ['no provider', edited(['    provider: aks\n', '']), "fleet.yaml:39: cluster \"dev-1\": no provider is set (set provider in spec.defaults, the environment's defaults or the cluster)"],
    ['no subscription', edited(['      subscriptionID: 00000000-0000-0000-0000-000000000001\n', '']), "fleet.yaml:39: cluster \"dev-1\": no Azure subscription (provider aks) is set (set azure.subscriptionID in spec.defaults, the environment's defaults or the cluster)"],
    ['no node pools', edited(['    nodePools:\n      - {name: system, mode: System, vmSize: Standard_D4ds_v5, replicas: 3}\n', '    nodePools: []\n']), "fleet.yaml:39: cluster \"dev-1\": no node pool is set (set nodePools in spec.defaults, the environment's defaults or the cluster)"],
    ['no vmSize on an Azure pool', edited(['{name: user, mode: User, vmSize: Standard_D8ds_v5,', '{name: user, mode: User,']), 'fleet.yaml:46: cluster "prod-weu-1": node pool "user": no vmSize is set (provider aks needs an Azure VM size)'],
    ['minReplicas above maxReplicas', edited(['{name: user, maxReplicas: 20}', '{name: user, maxReplicas: 1}']), 'fleet.yaml:46: cluster "prod-weu-1": node pool "user": minReplicas 2 is above maxReplicas 1'],
    ['replicas outside the bounds', edited(['{name: user, maxReplicas: 20}', '{name: user, maxReplicas: 20, replicas: 30}']), 'fleet.yaml:46: cluster "prod-weu-1": node pool "user": replicas 30 is outside minReplicas..maxReplicas (2..20)'],
    ['only one autoscaling bound', edited(['D4ds_v5, replicas: 3}', 'D4ds_v5, replicas: 3, minReplicas: 1}']), 'fleet.yaml:15: cluster "dev-1": node pool "system": set both minReplicas and maxReplicas to autoscale, or neither'],
    ['even control plane', edited(['controlPlane: {replicas: 3}', 'controlPlane: {replicas: 2}']), 'fleet.yaml:53: cluster "kind-1": controlPlane.replicas is 2; a kubeadm control plane with stacked etcd needs an odd number for quorum'],
    ['azure without control plane VM size', edited(['      provider: docker', '      provider: azure']), "fleet.yaml:50: cluster \"kind-1\": no control plane VM size (provider azure) is set (set controlPlane.vmSize in spec.defaults, the environment's defaults or the cluster)"],
    ['AKS without a System pool', edited(['mode: System', 'mode: User']), 'fleet.yaml:15: cluster "dev-1": AKS needs a node pool with mode: System, and every pool here is mode: User'],
    ['AKS pool name with a hyphen', edited(['{name: user, mode: User', '{name: user-pool, mode: User']), 'fleet.yaml:28: cluster "prod-weu-1": node pool "user-pool": name "user-pool" (9 characters) does not fit provider aks: AKS agent pool names are lowercase letters and digits, start with a letter, and have at most 12 characters (Linux pools)'],
    ['AKS cluster name too long', edited(['    - name: dev-1', `    - name: ${LONG(55, 'd')}`]), `fleet.yaml:40: cluster "${LONG(55, 'd')}": name "${LONG(55, 'd')}" (55 characters) does not fit provider aks: the AKS DNS prefix is the cluster name, and AKS allows at most 54 characters there`],
    [
      'azure cluster name starting with a digit',
      edited(['    - name: kind-1', '    - name: 1-kind'], ['      provider: docker', '      provider: azure'], ['controlPlane: {replicas: 3}', 'controlPlane: {replicas: 3, vmSize: Standard_D2s_v3}']),
      'fleet.yaml:50: cluster "1-kind": name "1-kind" (6 characters) does not fit provider azure: CAPZ names the API server\'s public DNS label <cluster>-<8 hex digits>, and Azure DNS labels have at most 63 characters and start with a letter',
    ],
    ['pool object name too long', edited(['    - name: kind-1', `    - name: ${LONG(57, 'k')}`]), `fleet.yaml:15: cluster "${LONG(57, 'k')}": node pool "system": "${LONG(57, 'k')}-system" is 64 characters; CAPI names the pool's objects <cluster>-<pool> and labels its machines with that name, and label values have at most 63`],
    ['HelmRelease name too long', edited(['    - name: dev-1', `    - name: ${LONG(50, 'd')}`]), `fleet.yaml:40: cluster "${LONG(50, 'd')}": addon "ingress-nginx": HelmRelease "${LONG(50, 'd')}-ingress-nginx" is 64 characters; Flux labels everything it installs with the HelmRelease's name, and label values have at most 63`],
    [
      'AKS node resource group too long',
      edited(['    - name: dev-1\n      environment: dev\n', `    - name: ${LONG(40, 'd')}\n      environment: dev\n      provider: aks-azuremanaged\n      addons: {ingress-nginx: {enabled: false}, cert-manager: {enabled: false}}\n`]),
      `fleet.yaml:40: cluster "${LONG(40, 'd')}": AKS node resource group "MC_${LONG(40, 'd')}_${LONG(40, 'd')}_westeurope" is 95 characters; CAPZ names it MC_<resourceGroup>_<cluster>_<location> and Azure allows at most 80`,
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const actual = errorOf(text);
      if (expected.endsWith('...')) assert.ok(actual.startsWith(expected.slice(0, -3)), actual);
      else assert.equal(actual, expected);
    });
  }
});
