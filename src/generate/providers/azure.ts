import { CAPI_GROUP, BOOTSTRAP_GROUP, CONTROL_PLANE_GROUP } from '../../kubernetes/api-groups.js';
import type { JsonObject } from '../../json/value.js';
import type { CapiVersion, NodePool, ResolvedCluster } from '../../fleet/types.js';
import { capiApiVersion, capiCluster, checkPoolNamesFree, immutableTemplateName, kubeadmArgs, kubeadmConfigTemplate, kubeadmControlPlane, machineDeployment, names, patchOf, refTo, required } from './capi.js';
import { CAPZ_API_VERSION, capzObject, clusterIdentity, clusterIdentityPatch, location, resourceGroup, subscriptionID, vmSize } from './azure-common.js';
import type { ProviderModule, ProviderPatch } from './provider.js';

/**
 * Self-managed Kubernetes on Azure VMs (CAPZ with kubeadm), after CAPZ's default flavor: the
 * external cloud provider (cloud-provider-azure and a CNI come as add-ons), etcd on its own data
 * disk, and each machine reading the azure.json CAPZ writes for its machine template.
 */

/** The kubelet registers under the VM's host name, which the Azure cloud provider expects. */
const NODE_REGISTRATION_NAME = '{{ ds.meta_data["local_hostname"] }}';
const AZURE_JSON = '/etc/kubernetes/azure.json';
const ETCD_DISK = '/dev/disk/azure/scsi1/lun0';

/** The file holding the azure.json CAPZ writes into the secret `<machine template>-azure-json`. */
function azureJsonFile(machineTemplate: JsonObject, key: string): JsonObject {
  const name = `${(machineTemplate.metadata as JsonObject).name}-azure-json`;
  return { contentFrom: { secret: { key, name } }, owner: 'root:root', path: AZURE_JSON, permissions: '0644' };
}

/** What the provider base gives every machine template (osDisk), on top of the cluster's own spec. */
const MACHINE_DEFAULTS: JsonObject = { osDisk: { diskSizeGB: 128, osType: 'Linux' } };

/**
 * A machine template named after its content, the provider base's defaults included: CAPZ refuses
 * any change to an AzureMachineTemplate's spec, so a new VM size (or new defaults) is a new template.
 */
function machineTemplate(cluster: ResolvedCluster, base: string, spec: JsonObject): JsonObject {
  return capzObject(cluster, 'AzureMachineTemplate', immutableTemplateName(base, { defaults: MACHINE_DEFAULTS, spec }), { template: { spec } });
}

function workerObjects(cluster: ResolvedCluster, pool: NodePool): JsonObject[] {
  const infrastructure = machineTemplate(cluster, names.pool(cluster, pool), { vmSize: vmSize(cluster, pool) });
  const bootstrap = kubeadmConfigTemplate(cluster, pool, { files: [azureJsonFile(infrastructure, 'worker-node-azure.json')] });
  return [machineDeployment(cluster, pool, infrastructure, bootstrap), infrastructure, bootstrap];
}

function nodeRegistration(version: CapiVersion): JsonObject {
  return { kubeletExtraArgs: kubeadmArgs(version, { 'cloud-provider': 'external' }), name: NODE_REGISTRATION_NAME };
}

/** How long kubeadm waits for the control plane: Azure VMs can be slow to come up. */
function controlPlaneTimeout(version: CapiVersion): { clusterConfiguration: JsonObject; initConfiguration: JsonObject } {
  if (version === 'v1beta1') return { clusterConfiguration: { apiServer: { timeoutForControlPlane: '20m' } }, initConfiguration: {} };
  return { clusterConfiguration: {}, initConfiguration: { timeouts: { controlPlaneComponentHealthCheckSeconds: 1200 } } };
}

function controlPlanePatch(version: CapiVersion): ProviderPatch {
  const timeout = controlPlaneTimeout(version);
  return patchOf(capiApiVersion(CONTROL_PLANE_GROUP, version), 'KubeadmControlPlane', {
    spec: {
      kubeadmConfigSpec: {
        clusterConfiguration: {
          ...timeout.clusterConfiguration,
          etcd: { local: { dataDir: '/var/lib/etcddisk/etcd', extraArgs: kubeadmArgs(version, { 'quota-backend-bytes': '8589934592' }) } },
        },
        diskSetup: {
          filesystems: [
            { device: ETCD_DISK, extraOpts: ['-E', 'lazy_itable_init=1,lazy_journal_init=1'], filesystem: 'ext4', label: 'etcd_disk' },
            { device: 'ephemeral0.1', filesystem: 'ext4', label: 'ephemeral0', replaceFS: 'ntfs' },
          ],
          partitions: [{ device: ETCD_DISK, layout: true, overwrite: false, tableType: 'gpt' }],
        },
        initConfiguration: { ...timeout.initConfiguration, nodeRegistration: nodeRegistration(version) },
        joinConfiguration: { nodeRegistration: nodeRegistration(version) },
        mounts: [['LABEL=etcd_disk', '/var/lib/etcddisk']],
      },
    },
  });
}

export const azure: ProviderModule = {
  provider: 'azure',
  clusterObjects(cluster) {
    checkPoolNamesFree(cluster);
    const v = cluster.capiVersion;
    const identity = clusterIdentity(cluster);
    const infrastructure = capzObject(cluster, 'AzureCluster', cluster.name, {
      identityRef: refTo('v1beta1', identity),
      location: location(cluster),
      networkSpec: { vnet: { name: `${cluster.name}-vnet` } },
      resourceGroup: resourceGroup(cluster),
      subscriptionID: subscriptionID(cluster),
    });
    const cpTemplate = machineTemplate(cluster, names.controlPlane(cluster), {
      dataDisks: [{ diskSizeGB: 256, lun: 0, nameSuffix: 'etcddisk' }],
      vmSize: required(cluster, cluster.controlPlane.vmSize, 'controlPlane.vmSize'),
    });
    const controlPlane = kubeadmControlPlane(cluster, cpTemplate, {
      clusterConfiguration: {
        controllerManager: {
          extraArgs: kubeadmArgs(v, { 'allocate-node-cidrs': 'false', 'cloud-provider': 'external', 'cluster-name': cluster.name }),
        },
      },
      files: [azureJsonFile(cpTemplate, 'control-plane-azure.json')],
    });
    return [
      capiCluster(cluster, infrastructure, controlPlane),
      infrastructure,
      controlPlane,
      cpTemplate,
      ...cluster.nodePools.flatMap((pool) => workerObjects(cluster, pool)),
      identity,
    ];
  },
  basePatches: ({ capiVersion: v }) => [
    patchOf(capiApiVersion(CAPI_GROUP, v), 'Cluster', { spec: { clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } } } }),
    patchOf(CAPZ_API_VERSION, 'AzureCluster', {
      spec: { networkSpec: { subnets: [{ name: 'control-plane-subnet', role: 'control-plane' }, { name: 'node-subnet', role: 'node' }] } },
    }),
    controlPlanePatch(v),
    patchOf(CAPZ_API_VERSION, 'AzureMachineTemplate', { spec: { template: { spec: MACHINE_DEFAULTS } } }),
    patchOf(capiApiVersion(BOOTSTRAP_GROUP, v), 'KubeadmConfigTemplate', {
      spec: { template: { spec: { joinConfiguration: { nodeRegistration: nodeRegistration(v) } } } },
    }),
    clusterIdentityPatch,
  ],
};
