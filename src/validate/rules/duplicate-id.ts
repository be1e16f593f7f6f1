import { parseApiVersion } from '../../engine/resid.js';
import type { Rule } from './rule.js';
import { namespaceOf } from './resource-index.js';

/**
 * Two objects with the same group, kind, namespace and name: the later one silently replaces the
 * earlier when applied. The version is not part of the id: it is one object in the cluster.
 */
export const duplicateId: Rule = {
  meta: { id: 'duplicate-resource-id', defaultSeverity: 'error', doc: 'two objects share group, kind, namespace and name' },
  check(resources) {
    const seen = new Map<string, number>();
    return resources.flatMap((r, i) => {
      const key = [parseApiVersion(r.apiVersion).group, r.kind, namespaceOf(r), r.name].join('\u0000');
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return [];
      }
      const other = resources[first]!.state.source;
      const where = other ? ` (first at ${other.file}:${other.line})` : '';
      return [{ resource: r, path: '/metadata/name', message: `${r.kind} "${r.name}" is defined more than once${where}` }];
    });
  },
};
