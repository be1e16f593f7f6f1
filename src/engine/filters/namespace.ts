import { BuildError } from '../../errors.js';
import { visitFieldSpec, wrongNodeKind, type FieldRef, type FieldSpec } from '../fieldspec.js';
import { isObject, setKey, type JsonObject, type JsonValue } from '../../json/value.js';
import { isClusterScoped, resIdEquals, resIdKey, resIdString, type ResId } from '../resid.js';
import type { Resource } from '../resource.js';
import type { ResMap } from '../resmap.js';
import type { Transformer } from '../types.js';

/** Which (Cluster)RoleBinding subjects get the namespace: kustomize's setRoleBindingSubjects. */
export type RoleBindingSubjectMode = 'defaultOnly' | 'allServiceAccounts' | 'none';

export interface NamespaceOptions {
  /** Only fill namespace fields that are missing or empty. */
  unsetOnly?: boolean;
  setRoleBindingSubjects?: RoleBindingSubjectMode;
}

/**
 * kustomize's NamespaceTransformer (the `namespace:` field uses the defaults of the options).
 * metadata.namespace is set on every namespaced resource (never on cluster-scoped kinds); the field
 * specs cover the rest, except that `metadata/name` specs only apply to apiVersion v1 objects (so
 * only a v1 Namespace is renamed to the namespace) and (Cluster)RoleBinding subjects follow
 * setRoleBindingSubjects: by default only subjects named `default`, whatever their namespace. Every
 * resource's id is remembered before, and two resources may not end up with the same id.
 */
export function namespaceTransformer(namespace: string, fieldSpecs: readonly FieldSpec[], options: NamespaceOptions = {}): Transformer {
  const mode = options.setRoleBindingSubjects ?? 'defaultOnly';
  const setValue = (ref: FieldRef): void => {
    if (isObject(ref.value) || Array.isArray(ref.value)) throw wrongNodeKind('ScalarNode', ref.value);
    if (options.unsetOnly && hasValue(ref.value)) return;
    ref.set(namespace);
  };
  return (resources) => {
    if (namespace === '') return;
    const idCounts = new IdCounts(resources);
    for (const r of resources) {
      if (Object.keys(r.obj).length === 0) continue;
      const before = r.curId();
      r.storePreviousId();
      const gvk = r.gvk;
      if (!isClusterScoped(gvk)) visitFieldSpec(r.obj, gvk, { path: 'metadata/namespace', create: true }, setValue, 'scalar');
      const isRoleBinding = gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding';
      if (isRoleBinding) setSubjectNamespaces(r.obj, mode, setValue);
      for (const fs of fieldSpecs) {
        if (fs.path === 'metadata/namespace') continue;
        if (fs.path === 'metadata/name' && r.apiVersion !== 'v1') continue;
        if (isRoleBinding && fs.path === 'subjects/namespace' && (fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding')) continue;
        try {
          visitFieldSpec(r.obj, gvk, fs, setValue, 'scalar');
        } catch (e) {
          if (!(e instanceof BuildError)) throw e;
          const why = e.message.includes('wrong node kind:') ? 'namespace field specs must target scalar nodes' : 'namespace transformation failed';
          throw new BuildError(`${why}: ${e.message}`);
        }
      }
      idCounts.moved(before, r.curId());
      if (idCounts.of(r.curId()) !== 1) throw idConflict(resources, r);
    }
  };
}

function hasValue(v: JsonValue): boolean {
  return v !== null && v !== '';
}

function setSubjectNamespaces(obj: JsonObject, mode: RoleBindingSubjectMode, setValue: (ref: FieldRef) => void): void {
  const subjects = obj.subjects;
  if (mode === 'none' || subjects === undefined || subjects === null) return;
  if (!Array.isArray(subjects)) {
    throw new BuildError(`setting namespace on (cluster)role binding subjects: ${wrongNodeKind('SequenceNode', subjects).message}`);
  }
  for (const subject of subjects) {
    if (!isObject(subject)) continue;
    const selected = mode === 'defaultOnly' ? subject.name === 'default' : subject.kind === 'ServiceAccount';
    if (!selected) continue;
    setValue({
      get value() {
        return subject.namespace ?? '';
      },
      set: (v) => setKey(subject, 'namespace', v),
      path: ['subjects', 'namespace'],
    });
  }
}

/**
 * How many resources hold each current id, kept as one resource at a time moves: kustomize checks
 * each resource's new id against all the others' ids of the moment, which asked of every resource
 * in turn was quadratic in the build's size.
 */
class IdCounts {
  private readonly counts = new Map<string, number>();

  constructor(resources: ResMap) {
    for (const r of resources.resources()) this.add(resIdKey(r.curId()), 1);
  }

  moved(from: ResId, to: ResId): void {
    const fromKey = resIdKey(from);
    const toKey = resIdKey(to);
    if (fromKey === toKey) return;
    this.add(fromKey, -1);
    this.add(toKey, 1);
  }

  of(id: ResId): number {
    return this.counts.get(resIdKey(id)) ?? 0;
  }

  private add(key: string, n: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
}

function idConflict(resources: ResMap, r: Resource): BuildError {
  const id = r.curId();
  const matches = resources.resources().filter((x) => resIdEquals(x.curId(), id));
  return new BuildError(`namespace transformation produces ID conflict: ${matches.map((m) => resIdString(m.curId())).join(', ')}`);
}
