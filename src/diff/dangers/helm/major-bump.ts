import { FLUX_HELM_GROUP } from '../../../kubernetes/api-groups.js';
import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

/** The major version of a chart version (`v1.16.2`, `4.11.3`); for 0.x, the minor, which semver lets break. */
function breakingPart(v: unknown): string | undefined {
  const m = typeof v === 'string' ? /^v?(\d+)(?:\.(\d+))?/.exec(v) : null;
  if (!m) return undefined;
  return m[1] === '0' ? `0.${m[2] ?? '0'}` : m[1];
}

export const majorChartBump: Danger = {
  meta: {
    id: 'helm/major-bump',
    severity: 'warning',
    doc: "a HelmRelease's chart moved to another major version (another minor for 0.x): read the chart's upgrade notes",
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      if (change.key.group !== FLUX_HELM_GROUP || change.key.kind !== 'HelmRelease') continue;
      for (const field of change.fields) {
        if (field.path !== 'spec.chart.spec.version' || field.change !== 'changed') continue;
        const from = breakingPart(field.from);
        const to = breakingPart(field.to);
        if (from !== undefined && to !== undefined && from !== to) {
          out.push({ cluster: cluster.name, resource: change.key, path: field.path, message: `${objectText(change.key)}: chart ${String(field.from)} → ${String(field.to)} is a major version change` });
        }
      }
    }
    return out;
  },
};
