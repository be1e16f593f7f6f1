import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/json/value.js';
import { loadCatalog } from '../../src/schemas/catalog.js';
import { CelRules } from '../../src/validate/cel/evaluator.js';
import { SchemaCompiler } from '../../src/schemas/compiled-schemas.js';
import { SchemaChecker } from '../../src/validate/schema-check.js';

const catalog = loadCatalog({ projectDir: '/nonexistent' });
const compiler = new SchemaCompiler();

/** Every finding of the schema check with CEL on: [ruleId, path, message]. */
function check(obj: JsonObject, strictVars = false): string[][] {
  const cel = new CelRules({ strictVars });
  return new SchemaChecker(catalog, compiler, { missingSchemas: 'error', strictVars, cel })
    .check(obj)
    .map((f) => [f.ruleId, f.path ?? '', f.message]);
}

function mutated(obj: JsonObject, change: (copy: any) => void): JsonObject {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const meta = { name: 'c1', namespace: 'fleet' };

const kubeadmControlPlane: JsonObject = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: meta,
  spec: {
    replicas: 3,
    version: 'v1.32.2',
    machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AzureMachineTemplate', name: 'c1-cp' } } },
    kubeadmConfigSpec: {
      clusterConfiguration: {
        apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }, { name: 'audit-log-maxage', value: '30' }] },
      },
      initConfiguration: { nodeRegistration: { name: '{{ ds.meta_data["local_hostname"] }}', kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
      diskSetup: {
        partitions: [{ device: '/dev/disk/azure/scsi1/lun0', tableType: 'gpt', layout: true, overwrite: false }],
        filesystems: [{ device: '/dev/disk/azure/scsi1/lun0', filesystem: 'ext4', label: 'etcd_disk', extraOpts: ['-E', 'lazy_itable_init=1,lazy_journal_init=1'] }],
      },
    },
  },
};

const kubeadmConfigTemplate: JsonObject = {
  apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmConfigTemplate',
  metadata: meta,
  spec: {
    template: {
      spec: {
        joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
        diskSetup: { partitions: [{ device: '/dev/sdb', diskLayout: [{ percentage: 100, partitionType: 'Linux' }] }] },
      },
    },
  },
};

const cluster: JsonObject = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: meta,
  spec: {
    topology: {
      classRef: { name: 'azure-class' },
      version: 'v1.32.2',
      workers: {
        machineDeployments: [
          {
            class: 'default-worker',
            name: 'md-0',
            replicas: 3,
            healthCheck: { checks: { unhealthyMachineConditions: [{ type: 'example.com/Stuck', status: 'True', timeoutSeconds: 300 }] } },
          },
        ],
      },
    },
  },
};

const machineHealthCheck: JsonObject = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineHealthCheck',
  metadata: meta,
  spec: {
    clusterName: 'c1',
    selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': 'md-0' } },
    checks: { unhealthyMachineConditions: [{ type: 'example.com/Stuck', status: 'True', timeoutSeconds: 300 }] },
  },
};

const machineDrainRule: JsonObject = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDrainRule',
  metadata: meta,
  spec: {
    drain: { behavior: 'Skip' },
    machines: [{ selector: { matchLabels: { role: 'worker' } } }, { selector: { matchLabels: { role: 'infra' } } }],
    pods: [{ selector: { matchLabels: { app: 'storage' } } }],
  },
};

const flux = { namespace: 'flux-system' };

const helmRelease: JsonObject = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'cilium', ...flux },
  spec: {
    interval: '10m',
    chart: { spec: { chart: 'cilium', version: '1.16.x', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
    kubeConfig: { secretRef: { name: 'c1-kubeconfig' } },
    install: { strategy: { name: 'RetryOnFailure', retryInterval: '2m' } },
    upgrade: { strategy: { name: 'RetryOnFailure', retryInterval: '2m' } },
    values: { ipam: { mode: 'kubernetes' } },
  },
};

const kustomization: JsonObject = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps', ...flux },
  spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' }, kubeConfig: { secretRef: { name: 'c1-kubeconfig' } } },
};

const gitRepository: JsonObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'fleet', ...flux },
  spec: { interval: '1m', url: 'https://dev.azure.com/org/project/_git/fleet', ref: { branch: 'main' }, provider: 'azure', serviceAccountName: 'flux-git' },
};

const bucket: JsonObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'Bucket',
  metadata: { name: 'artifacts', ...flux },
  spec: { interval: '5m', provider: 'generic', bucketName: 'artifacts', endpoint: 'minio.example.com', secretRef: { name: 'minio' } },
};

const receiver: JsonObject = {
  apiVersion: 'notification.toolkit.fluxcd.io/v1',
  kind: 'Receiver',
  metadata: { name: 'github', ...flux },
  spec: { type: 'github', events: ['ping', 'push'], secretRef: { name: 'webhook-token' }, resources: [{ kind: 'GitRepository', name: 'fleet' }] },
};

const imagePolicy: JsonObject = {
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImagePolicy',
  metadata: { name: 'app', ...flux },
  spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '1.x' } }, digestReflectionPolicy: 'Always', interval: '5m' },
};

const helmChart: JsonObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmChart',
  metadata: { name: 'podinfo', ...flux },
  spec: { chart: 'podinfo', interval: '10m', sourceRef: { kind: 'HelmRepository', name: 'podinfo' }, verify: { provider: 'cosign' } },
};

describe('CEL rules of the bundled CRDs', () => {
  const cases: { name: string; valid: JsonObject; change: (o: any) => void; expected: [string, string][] }[] = [
    {
      name: 'KubeadmControlPlane v1beta2: extraArgs names unique',
      valid: kubeadmControlPlane,
      change: (o) => o.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs.push({ name: 'cloud-provider', value: 'azure' }),
      expected: [['/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/extraArgs', 'spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs: extraArgs name must be unique']],
    },
    {
      name: 'KubeadmControlPlane v1beta2: kubeletExtraArgs names unique',
      valid: kubeadmControlPlane,
      change: (o) => o.spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.kubeletExtraArgs.push({ name: 'cloud-provider', value: 'azure' }),
      expected: [['/spec/kubeadmConfigSpec/initConfiguration/nodeRegistration/kubeletExtraArgs', 'spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.kubeletExtraArgs: kubeletExtraArgs name must be unique']],
    },
    {
      name: 'KubeadmControlPlane v1beta2: a partition has layout or diskLayout, one per list item',
      valid: kubeadmControlPlane,
      change: (o) => o.spec.kubeadmConfigSpec.diskSetup.partitions.push({ device: '/dev/sdc' }),
      expected: [['/spec/kubeadmConfigSpec/diskSetup/partitions/1', 'spec.kubeadmConfigSpec.diskSetup.partitions[1]: exactly one of the fields in [layout diskLayout] must be set']],
    },
    {
      name: 'KubeadmConfigTemplate v1beta2: partitionType',
      valid: kubeadmConfigTemplate,
      change: (o) => (o.spec.template.spec.diskSetup.partitions[0].diskLayout[0].partitionType = 'ext4'),
      expected: [
        [
          '/spec/template/spec/diskSetup/partitions/0/diskLayout/0/partitionType',
          'spec.template.spec.diskSetup.partitions[0].diskLayout[0].partitionType: partitionType must be one of Linux, LinuxSwap, LinuxRAID, LVM, Fat32, NTFS, LinuxExtended or a full GPT partition GUID',
        ],
      ],
    },
    {
      name: 'Cluster v1beta2: topology health checks may not watch a built-in condition',
      valid: cluster,
      change: (o) => (o.spec.topology.workers.machineDeployments[0].healthCheck.checks.unhealthyMachineConditions[0].type = 'Ready'),
      expected: [
        [
          '/spec/topology/workers/machineDeployments/0/healthCheck/checks/unhealthyMachineConditions/0/type',
          'spec.topology.workers.machineDeployments[0].healthCheck.checks.unhealthyMachineConditions[0].type: type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated',
        ],
      ],
    },
    {
      name: 'MachineHealthCheck v1beta2: unhealthy machine condition type',
      valid: machineHealthCheck,
      change: (o) => (o.spec.checks.unhealthyMachineConditions[0].type = 'Available'),
      expected: [['/spec/checks/unhealthyMachineConditions/0/type', 'spec.checks.unhealthyMachineConditions[0].type: type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated']],
    },
    {
      name: 'MachineDrainRule v1beta2: machine selectors unique',
      valid: machineDrainRule,
      change: (o) => o.spec.machines.push({ selector: { matchLabels: { role: 'worker' } } }),
      expected: [['/spec/machines', 'spec.machines: entries in machines must be unique']],
    },
    {
      name: 'HelmRelease v2: chart or chartRef',
      valid: helmRelease,
      change: (o) => (o.spec.chartRef = { kind: 'OCIRepository', name: 'cilium' }),
      expected: [['/spec', 'spec: either chart or chartRef must be set']],
    },
    {
      name: 'HelmRelease v2: kubeConfig has exactly one reference',
      valid: helmRelease,
      change: (o) => (o.spec.kubeConfig.configMapRef = { name: 'c1-kubeconfig' }),
      expected: [['/spec/kubeConfig', 'spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified']],
    },
    {
      name: 'HelmRelease v2: install retryInterval not with RemediateOnFailure',
      valid: helmRelease,
      change: (o) => (o.spec.install.strategy.name = 'RemediateOnFailure'),
      expected: [['/spec/install/strategy', "spec.install.strategy: .retryInterval cannot be set when .name is 'RemediateOnFailure'"]],
    },
    {
      name: 'Kustomization v1: kubeConfig has a reference',
      valid: kustomization,
      change: (o) => (o.spec.kubeConfig = {}),
      expected: [['/spec/kubeConfig', 'spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified']],
    },
    {
      name: 'GitRepository v1: serviceAccountName needs a cloud provider',
      valid: gitRepository,
      change: (o) => delete o.spec.provider,
      expected: [['/spec', "spec: serviceAccountName can only be set when provider is 'azure' or 'aws'"]],
    },
    {
      name: "Bucket v1: the provider's default (generic) counts",
      valid: bucket,
      change: (o) => {
        delete o.spec.provider;
        o.spec.sts = { provider: 'aws', endpoint: 'https://sts.amazonaws.com' };
      },
      expected: [['/spec', "spec: 'ldap' is the only supported STS provider for the 'generic' Bucket provider"]],
    },
    {
      name: 'Receiver v1: generic-oidc has no secretRef',
      valid: receiver,
      change: (o) => (o.spec.type = 'generic-oidc'),
      expected: [
        ['/spec', 'spec: generic-oidc receivers must define at least one oidcProvider'],
        ['/spec', 'spec: secretRef cannot be set when type is generic-oidc'],
      ],
    },
    {
      name: 'ImagePolicy v1: interval only with digestReflectionPolicy Always',
      valid: imagePolicy,
      change: (o) => (o.spec.digestReflectionPolicy = 'IfNotPresent'),
      expected: [['/spec', "spec: spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'"]],
    },
    {
      name: 'HelmChart v1: verify only for HelmRepository sources',
      valid: helmChart,
      change: (o) => (o.spec.sourceRef = { kind: 'GitRepository', name: 'fleet' }),
      expected: [['/spec', "spec: spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'"]],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: valid object passes, mutation is caught`, () => {
      assert.deepEqual(check(c.valid), []);
      assert.deepEqual(check(mutated(c.valid, c.change)), c.expected.map(([path, message]) => ['schema/cel', path, message]));
    });
  }

  it('a rule that reads a value still holding a template variable is exempt unless --strict-vars', () => {
    const sameVariable = mutated(kubeadmControlPlane, (o) => {
      o.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs = [
        { name: '${ARG_NAME}', value: 'a' },
        { name: '${ARG_NAME}', value: 'b' },
      ];
    });
    assert.deepEqual(check(sameVariable), []);
    assert.deepEqual(check(sameVariable, true).map((f) => f[1]), ['/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/extraArgs']);
  });

  it('a variable elsewhere under the rule node does not exempt it', () => {
    const both = mutated(helmRelease, (o) => {
      o.spec.chartRef = { kind: 'OCIRepository', name: 'cilium' };
      o.spec.kubeConfig.secretRef.name = '${CLUSTER_NAME}-kubeconfig';
    });
    assert.deepEqual(check(both), [['schema/cel', '/spec', 'spec: either chart or chartRef must be set']]);
  });

  it('an object with a type error is not checked by CEL, as the API server does not', () => {
    const wrongType = mutated(helmRelease, (o) => {
      o.spec.chartRef = { kind: 'OCIRepository', name: 'cilium' };
      o.spec.interval = 10;
    });
    assert.deepEqual(check(wrongType).map((f) => f[0]), ['schema/type']);
  });
});
