import { clusterRecreated } from './capi/recreated.js';
import { machineTemplateSwap } from './capi/template-swap.js';
import { kubernetesVersionJump } from './capi/version-jump.js';
import { immutableField } from './capz/immutable-field.js';
import { manyClusters } from './fleet/many-clusters.js';
import { pruneDeletion } from './flux/prune-deletion.js';
import { suspendFlipped } from './flux/suspend.js';
import { majorChartBump } from './helm/major-bump.js';
import { removedApiVersion } from './k8s/removed-api-version.js';
import { statefulRemoval } from './k8s/stateful-removal.js';
import type { Danger, DangerContext } from './danger.js';
import type { DangerFinding } from '../types.js';

/** Every danger (one module each, `<area>/<check>.ts` named after its id), in the order reports describe them. */
export const DANGERS: readonly Danger[] = [
  clusterRecreated,
  immutableField,
  kubernetesVersionJump,
  machineTemplateSwap,
  pruneDeletion,
  statefulRemoval,
  removedApiVersion,
  suspendFlipped,
  majorChartBump,
  manyClusters,
];

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Runs each danger over the diff: findings most severe first, then in danger and cluster order. */
export function findDangers(context: DangerContext, dangers: readonly Danger[] = DANGERS): DangerFinding[] {
  const out: DangerFinding[] = [];
  for (const danger of dangers) {
    for (const hit of danger.check(context)) out.push({ id: danger.meta.id, severity: danger.meta.severity, ...hit });
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
