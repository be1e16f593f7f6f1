import { CAPI_GROUP, CONTROL_PLANE_GROUP } from '../../../kubernetes/api-groups.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/** The references whose change makes CAPI replace every machine of the object, by kind. */
const TEMPLATE_REFS: Record<string, readonly (readonly string[])[]> = {
  [`${CAPI_GROUP}|MachineDeployment`]: [
    ['spec', 'template', 'spec', 'infrastructureRef'],
    ['spec', 'template', 'spec', 'bootstrap', 'configRef'],
  ],
  [`${CONTROL_PLANE_GROUP}|KubeadmControlPlane`]: [
    ['spec', 'machineTemplate', 'infrastructureRef'],
    ['spec', 'machineTemplate', 'spec', 'infrastructureRef'],
  ],
};

export const machineTemplateSwap: Danger = {
  meta: {
    id: 'capi/template-swap',
    severity: 'warning',
    doc: 'a MachineDeployment or KubeadmControlPlane pointed at another machine or bootstrap template: every one of its nodes is replaced (a rolling update)',
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      const refs = TEMPLATE_REFS[`${change.key.group}|${change.key.kind}`];
      if (!refs || change.change !== 'changed') continue;
      const seen = new Set<string>();
      for (const field of change.fields) {
        const names = field.segments.flatMap((s) => ('field' in s ? [s.field] : []));
        const ref = refs.find((r) => r.every((n, i) => names[i] === n));
        if (!ref || seen.has(ref.join('.'))) continue;
        seen.add(ref.join('.'));
        out.push({ cluster: cluster.name, resource: change.key, path: field.path, message: `${objectText(change.key)}: ${ref.join('.')} changes, so every machine is replaced` });
      }
    }
    return out;
  },
};
