import { CAPI_GROUP, CONTROL_PLANE_GROUP, INFRASTRUCTURE_GROUP } from '../../../kubernetes/api-groups.js';
import type { JsonValue } from '../../../json/value.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/** Where each kind keeps the Kubernetes version it runs, as field names (list entries not counted). */
const VERSION_FIELDS: Record<string, readonly (readonly string[])[]> = {
  [`${CAPI_GROUP}|Cluster`]: [['spec', 'topology', 'version']],
  [`${CAPI_GROUP}|MachineDeployment`]: [['spec', 'template', 'spec', 'version']],
  [`${CAPI_GROUP}|MachinePool`]: [['spec', 'template', 'spec', 'version']],
  [`${CONTROL_PLANE_GROUP}|KubeadmControlPlane`]: [['spec', 'version']],
  [`${INFRASTRUCTURE_GROUP}|AzureManagedControlPlane`]: [['spec', 'version']],
  [`${INFRASTRUCTURE_GROUP}|AzureASOManagedControlPlane`]: [['spec', 'version'], ['spec', 'resources', 'spec', 'kubernetesVersion']],
  [`${INFRASTRUCTURE_GROUP}|AzureASOManagedMachinePool`]: [['spec', 'resources', 'spec', 'orchestratorVersion']],
};

function minor(v: JsonValue | undefined): { major: number; minor: number } | undefined {
  const m = typeof v === 'string' ? /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(v) : null;
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export const kubernetesVersionJump: Danger = {
  meta: {
    id: 'capi/version-jump',
    severity: 'error',
    doc: 'a Kubernetes version that skips a minor version or goes back: CAPI, KubeadmControlPlane and AKS upgrade one minor at a time and never downgrade',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      const fields = VERSION_FIELDS[`${change.key.group}|${change.key.kind}`];
      if (!fields || change.change !== 'changed') continue;
      for (const field of change.fields) {
        const names = field.segments.flatMap((s) => ('field' in s ? [s.field] : []));
        if (field.change !== 'changed' || !fields.some((f) => f.length === names.length && f.every((n, i) => names[i] === n))) continue;
        const from = minor(field.from);
        const to = minor(field.to);
        if (!from || !to) continue;
        const step = to.major === from.major ? to.minor - from.minor : to.major > from.major ? Infinity : -Infinity;
        const problem = step < 0 ? 'is a downgrade' : step > 1 ? `skips ${step === Infinity ? 'a major version' : `${step - 1} minor version${step > 2 ? 's' : ''}`}` : undefined;
        if (problem) out.push({ cluster: cluster.name, resource: change.key, path: field.path, message: `${objectText(change.key)}: Kubernetes ${String(field.from)} → ${String(field.to)} ${problem}` });
      }
    }
    return out;
  },
};
