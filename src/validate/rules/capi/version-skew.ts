import { CAPI_GROUP } from '../../../kubernetes/api-groups.js';
import { valueAt } from '../../../json/pointer.js';
import { readNameRef, readRef } from '../references.js';
import { kindsOf, type IndexedResource, type ResourceIndex } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

/** Kubernetes' skew policy (since 1.28): a kubelet may be up to three minor versions older than the API server, never newer. */
const MAX_KUBELET_LAG = 3;

function minorVersion(v: unknown): { major: number; minor: number } | undefined {
  const m = typeof v === 'string' ? /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(v) : null;
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const WORKER_KINDS = kindsOf(CAPI_GROUP, ['MachineDeployment', 'MachineSet', 'MachinePool']);
const WORKER_VERSION = '/spec/template/spec/version';

export const versionSkew: Rule = {
  meta: {
    id: 'capi/version-skew',
    defaultSeverity: 'error',
    doc: "machine pools and deployments run a Kubernetes version the control plane supports (not newer, at most 3 minor versions older)",
  },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const worker of index.ofKinds(WORKER_KINDS)) {
      const version = minorVersion(valueAt(worker.resource.obj, WORKER_VERSION));
      const controlPlane = version && controlPlaneOf(worker, index);
      const cpVersion = controlPlane && minorVersion(valueAt(controlPlane.resource.obj, '/spec/version'));
      if (!version || !controlPlane || !cpVersion) continue;
      const lag = cpVersion.minor - version.minor;
      const problem =
        version.major !== cpVersion.major || lag < 0
          ? 'is newer than its control plane'
          : lag > MAX_KUBELET_LAG
            ? `is ${lag} minor versions older than its control plane; at most ${MAX_KUBELET_LAG} are supported`
            : undefined;
      if (!problem) continue;
      out.push({
        resource: worker.resource,
        path: WORKER_VERSION,
        message: `Kubernetes ${String(valueAt(worker.resource.obj, WORKER_VERSION))} ${problem} (${controlPlane.kind} ${controlPlane.name} runs ${String(valueAt(controlPlane.resource.obj, '/spec/version'))})`,
        expected: `${cpVersion.major}.${Math.max(0, cpVersion.minor - MAX_KUBELET_LAG)} to ${cpVersion.major}.${cpVersion.minor}`,
        actual: String(valueAt(worker.resource.obj, WORKER_VERSION)),
      });
    }
    return out;
  },
};

/** The control plane object of the worker's Cluster, through the Cluster's controlPlaneRef. */
function controlPlaneOf(worker: IndexedResource, index: ResourceIndex): IndexedResource | undefined {
  const clusterRef = readNameRef(worker, '/spec/clusterName', { kind: 'Cluster', group: CAPI_GROUP });
  const cluster = clusterRef && index.find(clusterRef);
  const cpRef = cluster && readRef(cluster, '/spec/controlPlaneRef', { sameNamespace: true });
  return cpRef && index.find(cpRef);
}
