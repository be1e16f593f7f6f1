/**
 * Every provider × CAPI version × node-pool shape: the cluster's objects with the provider's base
 * patches applied by the real engine (an overlay over a Component, as the generated tree has it)
 * must validate cleanly with --strict-refs, carry the settings where CAPI and CAPZ read them, and
 * render byte-identically with `kubectl kustomize` where it is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { getPath, isObject, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { renderYaml } from '../../src/engine/output.js';
import type { Resource } from '../../src/engine/resource.js';
import { render } from '../../src/engine/target.js';
import { PROVIDERS, type CapiVersion, type NodePool, type Provider, type ResolvedCluster } from '../../src/fleet/types.js';
import { PROVIDER_MODULES } from '../../src/generate/providers/index.js';
import type { ProviderModule } from '../../src/generate/providers/provider.js';
import { loadCatalog } from '../../src/schemas/catalog.js';
import { Validator } from '../../src/validate/validator.js';
import { emitDocument } from '../../src/yaml/emit.js';
import { kubectlAvailable } from '../support/cases.js';
import { repoRoot } from '../support/paths.js';
import { resolvedCluster } from './fixtures.js';

const CAPI_VERSIONS: CapiVersion[] = ['v1beta2', 'v1beta1'];

const POOL_SHAPES: { name: string; pools: NodePool[] }[] = [
  { name: 'one fixed pool', pools: [{ name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 3 }] },
  {
    name: 'a fixed and an autoscaled pool',
    pools: [
      { name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 2 },
      { name: 'apps', mode: 'User', vmSize: 'Standard_D8ds_v5', minReplicas: 1, maxReplicas: 10 },
    ],
  },
  { name: 'pools without mode or replicas', pools: [{ name: 'pool0', vmSize: 'Standard_D2ds_v5' }, { name: 'pool1', vmSize: 'Standard_D2ds_v5' }] },
];

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-providers-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const live = kubectlAvailable();
const validator = new Validator(loadCatalog({ projectDir: repoRoot }), {
  vars: new Map(),
  strictVars: false,
  strictRefs: true,
  missingSchemas: 'error',
  rules: new Map(),
});

/** Writes the overlay the generated tree would hold for this cluster (cluster.yaml over the provider's Component) and returns its directory. */
function writeOverlay(module: ProviderModule, cluster: ResolvedCluster): string {
  const root = fs.mkdtempSync(path.join(tmpRoot, `${cluster.provider}-`));
  const base = path.join(root, 'base');
  const overlay = path.join(root, 'overlay');
  fs.mkdirSync(base);
  fs.mkdirSync(overlay);
  const patches = module.basePatches(cluster).map((p) => ({ target: { ...p.target }, patch: emitDocument(p.patch) }));
  fs.writeFileSync(path.join(base, 'kustomization.yaml'), emitDocument({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', patches }));
  fs.writeFileSync(path.join(overlay, 'cluster.yaml'), module.clusterObjects(cluster).map((o) => emitDocument(o)).join('---\n'));
  fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), emitDocument({ namespace: cluster.namespace, resources: ['cluster.yaml'], components: ['../base'] }));
  return overlay;
}

function find(resources: readonly Resource[], kind: string, name: string): JsonObject {
  const r = resources.find((x) => x.kind === kind && x.name === name);
  assert.ok(r, `no ${kind} ${name} among ${resources.map((x) => `${x.kind}/${x.name}`).join(', ')}`);
  return r.obj;
}

const at = (obj: JsonValue | undefined, dotted: string): JsonValue | undefined => getPath(obj, dotted.split('.'));

/** A reference in the shape of the CAPI version: v1beta2 names the group, v1beta1 the apiVersion. */
function assertRef(ref: JsonValue | undefined, version: CapiVersion, target: JsonObject): void {
  const apiVersion = String(target.apiVersion);
  const name = at(target, 'metadata.name');
  const expected = version === 'v1beta1' ? { apiVersion, kind: target.kind, name } : { apiGroup: apiVersion.split('/')[0], kind: target.kind, name };
  assert.deepEqual(ref, expected);
}

/** The cluster's own workload identity, usable from the cluster's namespace only. */
function assertIdentity(resources: readonly Resource[], c: ResolvedCluster): void {
  const identity = find(resources, 'AzureClusterIdentity', `${c.name}-identity`);
  assert.deepEqual(at(identity, 'spec'), {
    allowedNamespaces: { list: [c.namespace] },
    clientID: c.azure.identity?.clientID,
    tenantID: c.azure.identity?.tenantID,
    type: 'WorkloadIdentity',
  });
}

/** What differs between providers in where settings land. */
interface ProviderExpectation {
  infrastructureKind: (v: CapiVersion) => string;
  controlPlane: { kind: string; name: (c: ResolvedCluster) => string };
  poolKind: 'MachinePool' | 'MachineDeployment';
  /** The infrastructure object of a pool (AKS agent pool or machine template). */
  poolInfraKind: (v: CapiVersion) => string;
  /** Machine templates named `<name>-<hash of the spec>`: CAPZ refuses any change to an AzureMachineTemplate's spec. */
  hashedTemplates?: true;
  checkLocation?: (resources: readonly Resource[], c: ResolvedCluster) => void;
  checkPool?: (poolInfra: JsonObject, pool: NodePool, c: ResolvedCluster) => void;
}

/** A pool's or control plane's infrastructure object, by the name it has without a spec hash. */
function findInfra(resources: readonly Resource[], hashed: boolean, kind: string, name: string): JsonObject {
  if (!hashed) return find(resources, kind, name);
  const matching = resources.filter((r) => r.kind === kind && new RegExp(`^${name}-[0-9a-f]{8}$`).test(r.name));
  assert.equal(matching.length, 1, `one ${kind} ${name}-<hash> among ${resources.map((x) => `${x.kind}/${x.name}`).join(', ')}`);
  return matching[0]!.obj;
}

const aksPoolSpec = (infra: JsonObject): JsonValue | undefined => at((at(infra, 'spec.resources') as JsonValue[])[0], 'spec');

const EXPECTATIONS: Record<Provider, ProviderExpectation> = {
  aks: {
    infrastructureKind: () => 'AzureASOManagedCluster',
    controlPlane: { kind: 'AzureASOManagedControlPlane', name: (c) => c.name },
    poolKind: 'MachinePool',
    poolInfraKind: () => 'AzureASOManagedMachinePool',
    checkLocation(resources, c) {
      const [group] = at(find(resources, 'AzureASOManagedCluster', c.name), 'spec.resources') as JsonObject[];
      assert.deepEqual([group!.kind, at(group, 'spec.location')], ['ResourceGroup', c.location]);
      const [managed] = at(find(resources, 'AzureASOManagedControlPlane', c.name), 'spec.resources') as JsonObject[];
      assert.deepEqual([managed!.kind, at(managed, 'spec.location'), at(managed, 'spec.owner.name')], ['ManagedCluster', c.location, c.name]);
      assert.equal(at(find(resources, 'AzureASOManagedControlPlane', c.name), 'spec.version'), c.kubernetesVersion);
    },
    checkPool(infra, pool, c) {
      const spec = aksPoolSpec(infra);
      assert.equal(at(spec, 'azureName'), pool.name);
      assert.equal(at(spec, 'vmSize'), pool.vmSize);
      assert.equal(at(spec, 'owner.name'), c.name);
      assert.equal(at(spec, 'enableAutoScaling'), pool.maxReplicas === undefined ? undefined : true);
      assert.equal(at(spec, 'minCount'), pool.minReplicas);
      assert.equal(at(spec, 'maxCount'), pool.maxReplicas);
    },
  },
  'aks-azuremanaged': {
    infrastructureKind: () => 'AzureManagedCluster',
    controlPlane: { kind: 'AzureManagedControlPlane', name: (c) => c.name },
    poolKind: 'MachinePool',
    poolInfraKind: () => 'AzureManagedMachinePool',
    checkLocation(resources, c) {
      const cp = find(resources, 'AzureManagedControlPlane', c.name);
      assert.deepEqual(
        [at(cp, 'spec.location'), at(cp, 'spec.version'), at(cp, 'spec.subscriptionID'), at(cp, 'spec.resourceGroupName'), at(cp, 'spec.identityRef.name')],
        [c.location, c.kubernetesVersion, c.azure.subscriptionID, c.name, `${c.name}-identity`],
      );
      assertIdentity(resources, c);
    },
    checkPool(infra, pool) {
      assert.deepEqual([at(infra, 'spec.name'), at(infra, 'spec.sku')], [pool.name, pool.vmSize]);
      assert.deepEqual(at(infra, 'spec.scaling'), pool.maxReplicas === undefined ? undefined : { maxSize: pool.maxReplicas, minSize: pool.minReplicas });
    },
  },
  azure: {
    infrastructureKind: () => 'AzureCluster',
    controlPlane: { kind: 'KubeadmControlPlane', name: (c) => `${c.name}-control-plane` },
    poolKind: 'MachineDeployment',
    poolInfraKind: () => 'AzureMachineTemplate',
    hashedTemplates: true,
    checkLocation(resources, c) {
      const ac = find(resources, 'AzureCluster', c.name);
      assert.deepEqual([at(ac, 'spec.location'), at(ac, 'spec.subscriptionID'), at(ac, 'spec.identityRef.name')], [c.location, c.azure.subscriptionID, `${c.name}-identity`]);
      assertIdentity(resources, c);
      assert.equal(at(findInfra(resources, true, 'AzureMachineTemplate', `${c.name}-control-plane`), 'spec.template.spec.vmSize'), c.controlPlane.vmSize);
    },
    checkPool(infra, pool) {
      assert.equal(at(infra, 'spec.template.spec.vmSize'), pool.vmSize);
      assert.equal(at(infra, 'spec.template.spec.osDisk.osType'), 'Linux', 'base patch applied');
    },
  },
  docker: {
    infrastructureKind: (v) => (v === 'v1beta1' ? 'DockerCluster' : 'DevCluster'),
    controlPlane: { kind: 'KubeadmControlPlane', name: (c) => `${c.name}-control-plane` },
    poolKind: 'MachineDeployment',
    poolInfraKind: (v) => (v === 'v1beta1' ? 'DockerMachineTemplate' : 'DevMachineTemplate'),
  },
};

const CAPI_OWN_GROUPS = ['cluster.x-k8s.io', 'bootstrap.cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io'];

/** Deprecation warnings the cluster asked for: v1beta1 CAPI kinds, and the deprecated provider's API. */
function intendedWarning(ruleId: string, apiVersion: string, kind: string, c: ResolvedCluster): boolean {
  if (ruleId !== 'schema/deprecated-version') return false;
  if (c.provider === 'aks-azuremanaged' && /^AzureManaged/.test(kind)) return true;
  if (c.capiVersion !== 'v1beta1' || !apiVersion.endsWith('/v1beta1')) return false;
  return CAPI_OWN_GROUPS.includes(apiVersion.split('/')[0]!) || (c.provider === 'docker' && /^Docker/.test(kind));
}

describe('providers', () => {
  it('has one module per provider, each under its own name', () => {
    assert.deepEqual(Object.keys(PROVIDER_MODULES).sort(), [...PROVIDERS].sort());
    for (const p of PROVIDERS) assert.equal(PROVIDER_MODULES[p].provider, p);
  });

  it('warns only for the deprecated AzureManaged API, naming its replacement', () => {
    assert.deepEqual(PROVIDERS.filter((p) => PROVIDER_MODULES[p].deprecation), ['aks-azuremanaged']);
    assert.match(PROVIDER_MODULES['aks-azuremanaged'].deprecation!, /deprecated.*"aks"/);
  });

  for (const provider of PROVIDERS) {
    for (const capiVersion of CAPI_VERSIONS) {
      for (const shape of POOL_SHAPES) {
        describe(`${provider} ${capiVersion}, ${shape.name}`, () => {
          const cluster = resolvedCluster({ provider, capiVersion, nodePools: shape.pools });
          const module = PROVIDER_MODULES[provider];
          const expect = EXPECTATIONS[provider];
          const dir = writeOverlay(module, cluster);
          const resources = render(dir);

          it('validates with --strict-refs: no errors, no warnings but the intended deprecations', () => {
            const findings = validator.validate({ name: 'overlay', resources });
            const unexpected = findings.filter((f) => !intendedWarning(f.ruleId, f.resource?.apiVersion ?? '', f.resource?.kind ?? '', cluster));
            assert.deepEqual(unexpected.map((f) => `${f.ruleId} ${f.resource?.kind}/${f.resource?.name} ${f.path ?? ''}: ${f.message}`), []);
            assert.ok(resources.every((r) => r.namespace === cluster.namespace));
          });

          it('is pure and leaves the namespace to the overlay', () => {
            const objects = module.clusterObjects(cluster);
            assert.deepEqual(module.clusterObjects(structuredClone(cluster)), objects);
            assert.deepEqual(objects.filter((o) => at(o, 'metadata.namespace') !== undefined), []);
          });

          it('names and wires the Cluster', () => {
            const c = find(resources, 'Cluster', cluster.name);
            assert.equal(c.apiVersion, `cluster.x-k8s.io/${capiVersion}`);
            assert.equal(at(c, 'metadata.labels.tier'), 'gold');
            assertRef(at(c, 'spec.infrastructureRef'), capiVersion, find(resources, expect.infrastructureKind(capiVersion), cluster.name));
            assertRef(at(c, 'spec.controlPlaneRef'), capiVersion, find(resources, expect.controlPlane.kind, expect.controlPlane.name(cluster)));
            for (const r of resources) {
              assert.equal(r.labels()['cluster.x-k8s.io/cluster-name'], cluster.name, `${r.kind}/${r.name} carries the cluster-name label`);
            }
            expect.checkLocation?.(resources, cluster);
          });

          it('gives each node pool its CAPI pool, size and version', () => {
            assert.equal(resources.filter((r) => r.kind === expect.poolKind).length, shape.pools.length);
            for (const pool of cluster.nodePools) {
              const name = `${cluster.name}-${pool.name}`;
              const capiPool = find(resources, expect.poolKind, name);
              const infra = findInfra(resources, expect.hashedTemplates === true, expect.poolInfraKind(capiVersion), name);
              assert.equal(capiPool.apiVersion, `cluster.x-k8s.io/${capiVersion}`);
              assert.equal(at(capiPool, 'spec.clusterName'), cluster.name);
              assert.equal(at(capiPool, 'spec.template.spec.version'), cluster.kubernetesVersion);
              // an autoscaled pool's size belongs to the autoscaler, not to git
              assert.equal(at(capiPool, 'spec.replicas'), pool.maxReplicas === undefined ? pool.replicas : undefined);
              assertRef(at(capiPool, 'spec.template.spec.infrastructureRef'), capiVersion, infra);
              if (expect.poolKind === 'MachineDeployment') {
                assertRef(at(capiPool, 'spec.template.spec.bootstrap.configRef'), capiVersion, find(resources, 'KubeadmConfigTemplate', name));
                const annotations = (at(capiPool, 'metadata.annotations') ?? {}) as JsonObject;
                assert.equal(annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size'], pool.maxReplicas?.toString());
                assert.equal(annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size'], pool.minReplicas?.toString());
              } else {
                assert.equal(at(capiPool, 'spec.template.spec.bootstrap.dataSecretName'), '', 'base patch applied');
              }
              expect.checkPool?.(infra, pool, cluster);
            }
          });

          if (expect.controlPlane.kind === 'KubeadmControlPlane') {
            it('runs a kubeadm control plane of the cluster version, flags in the version shape', () => {
              const kcp = find(resources, 'KubeadmControlPlane', `${cluster.name}-control-plane`);
              assert.equal(kcp.apiVersion, `controlplane.cluster.x-k8s.io/${capiVersion}`);
              assert.deepEqual([at(kcp, 'spec.version'), at(kcp, 'spec.replicas')], [cluster.kubernetesVersion, cluster.controlPlane.replicas]);
              const ref = at(kcp, capiVersion === 'v1beta1' ? 'spec.machineTemplate.infrastructureRef' : 'spec.machineTemplate.spec.infrastructureRef');
              assertRef(ref, capiVersion, findInfra(resources, expect.hashedTemplates === true, expect.poolInfraKind(capiVersion), `${cluster.name}-control-plane`));
              const kubeletArgs = at(kcp, 'spec.kubeadmConfigSpec.joinConfiguration.nodeRegistration.kubeletExtraArgs');
              assert.equal(Array.isArray(kubeletArgs), capiVersion === 'v1beta2');
              assert.ok(isObject(kubeletArgs) || (Array.isArray(kubeletArgs) && kubeletArgs.every((a) => isObject(a) && 'name' in a && 'value' in a)));
            });
          }

          it('renders byte-identically with kubectl kustomize', { skip: !live && 'kubectl not installed' }, () => {
            const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(renderYaml(resources), r.stdout);
          });
        });
      }
    }
  }

  describe('settings', () => {
    it('aks authenticates ASO with a per-cluster workload-identity secret when an identity is set, else with ASO\'s global one', () => {
      const withIdentity = PROVIDER_MODULES.aks.clusterObjects(resolvedCluster());
      const secret = withIdentity.find((o) => o.kind === 'Secret')!;
      assert.equal(at(secret, 'metadata.name'), 'prod-weu-1-aso-credential');
      assert.deepEqual(at(secret, 'stringData'), {
        AUTH_MODE: 'workloadidentity',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-00000000000b',
        AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-00000000000a',
        AZURE_TENANT_ID: '00000000-0000-0000-0000-00000000000c',
      });
      const cp = withIdentity.find((o) => o.kind === 'AzureASOManagedControlPlane')!;
      const annotations = at((at(cp, 'spec.resources') as JsonObject[])[0], 'metadata.annotations') as JsonObject;
      assert.equal(annotations['serviceoperator.azure.com/credential-from'], 'prod-weu-1-aso-credential');

      const without = PROVIDER_MODULES.aks.clusterObjects(resolvedCluster({ azure: { subscriptionID: 'sub' } }));
      assert.equal(without.some((o) => o.kind === 'Secret'), false);
      assert.equal(at((at(without.find((o) => o.kind === 'AzureASOManagedControlPlane'), 'spec.resources') as JsonObject[])[0], 'metadata.annotations'), undefined);
    });

    it('aks keeps the ASO resource group object per cluster and names the Azure resource group in azureName', () => {
      const objects = PROVIDER_MODULES.aks.clusterObjects(resolvedCluster({ azure: { resourceGroup: 'shared-rg' } }));
      const [group] = at(objects.find((o) => o.kind === 'AzureASOManagedCluster'), 'spec.resources') as JsonObject[];
      assert.deepEqual([at(group, 'metadata.name'), at(group, 'spec.azureName')], ['prod-weu-1', 'shared-rg']);
    });

    const missing: { provider: Provider; change: Partial<ResolvedCluster>; message: RegExp }[] = [
      { provider: 'aks', change: { location: undefined }, message: /cluster "prod-weu-1": provider aks needs location/ },
      { provider: 'aks', change: { nodePools: [{ name: 'system' }] }, message: /needs vmSize on node pool "system"/ },
      { provider: 'aks-azuremanaged', change: { azure: { subscriptionID: 's' } }, message: /needs azure\.identity\.clientID/ },
      { provider: 'aks', change: { nodePools: [] }, message: /needs a node pool of mode System/ },
      { provider: 'aks-azuremanaged', change: { nodePools: [{ name: 'apps', mode: 'User', vmSize: 's' }] }, message: /needs a node pool of mode System/ },
      { provider: 'azure', change: { azure: { identity: { clientID: 'c', tenantID: 't' } } }, message: /needs azure\.subscriptionID/ },
      { provider: 'azure', change: { controlPlane: {} }, message: /needs controlPlane\.vmSize/ },
      { provider: 'docker', change: { nodePools: [{ name: 'control-plane' }] }, message: /node pool name "control-plane" is taken/ },
    ];
    for (const m of missing) {
      it(`${m.provider} refuses a cluster without what it needs (${m.message.source})`, () => {
        assert.throws(() => PROVIDER_MODULES[m.provider].clusterObjects(resolvedCluster({ provider: m.provider, ...m.change })), (e: unknown) => {
          return e instanceof BuildError && m.message.test(e.message);
        });
      });
    }

    describe('azure machine templates, whose spec CAPZ refuses to change in place', () => {
      const objects = (c: Partial<ResolvedCluster>): JsonObject[] => PROVIDER_MODULES.azure.clusterObjects(resolvedCluster({ provider: 'azure', ...c }));
      const named = (os: JsonObject[], kind: string, name: string): JsonObject => os.find((o) => o.kind === kind && at(o, 'metadata.name') === name)!;
      const templates = (os: JsonObject[]): string[] => os.filter((o) => o.kind === 'AzureMachineTemplate').map((o) => String(at(o, 'metadata.name')));
      const pools = (vmSize: string): NodePool[] => [{ name: 'system', vmSize, replicas: 3 }, { name: 'apps', vmSize: 'Standard_D8ds_v5', replicas: 2 }];

      it('keeps every name for the same spec, whatever else changes (replicas, Kubernetes version)', () => {
        const before = templates(objects({ nodePools: pools('Standard_D4ds_v5') }));
        assert.match(before.join(' '), /^prod-weu-1-control-plane-[0-9a-f]{8} prod-weu-1-system-[0-9a-f]{8} prod-weu-1-apps-[0-9a-f]{8}$/);
        const other = objects({ nodePools: pools('Standard_D4ds_v5').map((p) => ({ ...p, replicas: 5 })), kubernetesVersion: 'v1.33.4', controlPlane: { replicas: 5, vmSize: 'Standard_D4ds_v5' } });
        assert.deepEqual(templates(other), before);
      });

      it("a pool's new VM size is a new template, which its MachineDeployment and azure.json file follow; the others keep theirs", () => {
        const [cpBefore, systemBefore, appsBefore] = templates(objects({ nodePools: pools('Standard_D4ds_v5') }));
        const after = objects({ nodePools: pools('Standard_D16ds_v5') });
        const [cp, system, apps] = templates(after);
        assert.deepEqual([cp, apps], [cpBefore, appsBefore]);
        assert.notEqual(system, systemBefore);
        assert.match(system!, /^prod-weu-1-system-[0-9a-f]{8}$/);
        assert.equal(at(named(after, 'AzureMachineTemplate', system!), 'spec.template.spec.vmSize'), 'Standard_D16ds_v5');
        assert.equal(at(named(after, 'MachineDeployment', 'prod-weu-1-system'), 'spec.template.spec.infrastructureRef.name'), system);
        const files = at(named(after, 'KubeadmConfigTemplate', 'prod-weu-1-system'), 'spec.template.spec.files') as JsonObject[];
        assert.equal(at(files[0], 'contentFrom.secret.name'), `${system}-azure-json`, 'CAPZ writes azure.json into <template>-azure-json');
      });

      it("the control plane's new VM size is a new template its KubeadmControlPlane follows", () => {
        const [before] = templates(objects({}));
        const after = objects({ controlPlane: { replicas: 3, vmSize: 'Standard_D8ds_v5' } });
        const [cp] = templates(after);
        assert.notEqual(cp, before);
        const kcp = named(after, 'KubeadmControlPlane', 'prod-weu-1-control-plane');
        assert.equal(at(kcp, 'spec.machineTemplate.spec.infrastructureRef.name'), cp);
        assert.equal(at((at(kcp, 'spec.kubeadmConfigSpec.files') as JsonObject[])[0], 'contentFrom.secret.name'), `${cp}-azure-json`);
      });
    });

    it('docker needs no Azure settings', () => {
      const cluster = resolvedCluster({ provider: 'docker', location: undefined, azure: {}, nodePools: [{ name: 'md-0', replicas: 2 }], controlPlane: {} });
      const objects = PROVIDER_MODULES.docker.clusterObjects(cluster);
      assert.equal(at(objects.find((o) => o.kind === 'KubeadmControlPlane'), 'spec.replicas'), undefined, 'CAPI defaults unset replicas');
      assert.equal(at(objects.find((o) => o.kind === 'MachineDeployment'), 'spec.replicas'), 2);
    });
  });
});
