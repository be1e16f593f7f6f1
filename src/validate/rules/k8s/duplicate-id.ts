import { displayPath } from '../../../display-path.js';
import type { Resource } from '../../../engine/resource.js';
import { deepEqual } from '../../../json/value.js';
import type { Rule } from '../rule.js';

/**
 * Two objects with the same group, kind, namespace and name: the later one silently replaces the
 * earlier when applied. The version is not part of the id: it is one object in the cluster. One
 * definition that reaches a cluster twice (the same file and line, or the same generated object,
 * built alike by two Flux Kustomizations whose paths overlap) is one object applied twice, not two
 * that replace each other.
 */
export const duplicateId: Rule = {
  meta: { id: 'k8s/duplicate-id', defaultSeverity: 'error', doc: 'two objects share group, kind, namespace and name' },
  check({ index }) {
    return index.all.flatMap((r) => {
      const first = index.firstWithId(r);
      if (first === r || sameDefinition(first.resource, r.resource)) return [];
      const other = first.resource.state.source;
      const where = other ? ` (first at ${displayPath(other.file)}:${other.line})` : '';
      return [{ resource: r.resource, path: '/metadata/name', message: `${r.kind} "${r.name}" is defined more than once${where}` }];
    });
  },
};

function sameDefinition(a: Resource, b: Resource): boolean {
  const [x, y] = [a.state.source, b.state.source];
  const sameSource = x && y ? x.file === y.file && x.line === y.line : !x && !y;
  return sameSource && deepEqual(a.obj, b.obj);
}
