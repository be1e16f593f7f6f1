import { displayPath } from '../../../display-path.js';
import type { Rule } from '../rule.js';

/**
 * Two objects with the same group, kind, namespace and name: the later one silently replaces the
 * earlier when applied. The version is not part of the id: it is one object in the cluster.
 */
export const duplicateId: Rule = {
  meta: { id: 'k8s/duplicate-id', defaultSeverity: 'error', doc: 'two objects share group, kind, namespace and name' },
  check({ index }) {
    return index.all.flatMap((r) => {
      const first = index.firstWithId(r);
      if (first === r) return [];
      const other = first.resource.state.source;
      const where = other ? ` (first at ${displayPath(other.file)}:${other.line})` : '';
      return [{ resource: r.resource, path: '/metadata/name', message: `${r.kind} "${r.name}" is defined more than once${where}` }];
    });
  },
};
