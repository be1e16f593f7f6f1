import { changesOf, objectText, type Danger, type DangerHit } from '../danger.js';

export const suspendFlipped: Danger = {
  meta: {
    id: 'flux/suspend',
    severity: 'warning',
    doc: "a Flux object's `spec.suspend` flipped: reconciliation stops, or resumes and applies everything held back",
  },
  check({ clusters }) {
    const out: DangerHit[] = [];
    for (const { cluster, change } of changesOf(clusters)) {
      if (!change.key.group.endsWith('.toolkit.fluxcd.io')) continue;
      for (const field of change.fields) {
        if (field.path !== 'spec.suspend') continue;
        const now = field.to === true;
        if ((field.from === true) === now) continue;
        out.push({ cluster: cluster.name, resource: change.key, path: field.path, message: `${objectText(change.key)} is ${now ? 'suspended: Flux stops reconciling it' : 'resumed: Flux applies everything held back'}` });
      }
    }
    return out;
  },
};
