import { BuildError } from '../../errors.js';
import type { NameBackReferences } from '../config/name-reference.js';
import { visitFieldSpec, type FieldSpec } from '../fieldspec.js';
import { hasKey, isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { effectiveNamespace, gvkSelects, isClusterScoped, resIdString, type Gvk, type ResId } from '../resid.js';
import type { Resource } from '../resource.js';
import type { Transformer } from '../types.js';

/** One field of a referrer that may name an object of the target kind. */
interface NameField {
  spec: FieldSpec;
  target: Partial<Gvk>;
}

/**
 * kustomize's name reference fixing: after objects were renamed (prefixes, suffixes, hashes),
 * every field that names another object is rewritten to that object's new name. A referrer is
 * chosen by its original kind; the referral is the renamed object whose earlier name matches the
 * field, narrowed by kind, namespace and the prefixes/suffixes both sides received.
 */
export function nameReferenceTransformer(config: NameBackReferences[]): Transformer {
  const fieldsOf = nameFieldsByKind(config);
  return (resources) => {
    const all = resources.resources();
    // kustomize goes through the config's field specs in order, each over every object: a referrer
    // is fixed when its first field comes up, its fields in the config's order
    const referrers = all
      .map((r) => ({ r, fields: fieldsOf(r.orgId()) }))
      .filter(({ fields }) => fields.length > 0)
      .sort((a, b) => a.fields[0]!.order - b.fields[0]!.order);
    for (const { r, fields } of referrers) {
      const candidates = candidatesFor(r, all);
      for (const field of fields) fixField(r, field, candidates);
    }
  };
}

/** A NameField with its place in the config's order of field specs. */
interface OrderedNameField extends NameField {
  order: number;
}

/**
 * The fields of an object of a kind that may name others, in the config's order. The config
 * holds hundreds of field specs, most for one kind: they are sorted by kind once per config.
 */
function nameFieldsByKind(config: NameBackReferences[]): (gvk: Gvk) => OrderedNameField[] {
  let index = fieldIndexes.get(config);
  if (!index) {
    const byKind = new Map<string, OrderedNameField[]>();
    const anyKind: OrderedNameField[] = [];
    let order = 0;
    for (const backRef of config) {
      const target = { group: backRef.group, version: backRef.version, kind: backRef.kind };
      for (const spec of backRef.fieldSpecs) {
        const field = { spec, target, order: order++ };
        if (!spec.kind) anyKind.push(field);
        else if (byKind.has(spec.kind)) byKind.get(spec.kind)!.push(field);
        else byKind.set(spec.kind, [field]);
      }
    }
    fieldIndexes.set(config, (index = { byKind, anyKind }));
  }
  const { byKind, anyKind } = index;
  return (gvk) => {
    const ofKind = byKind.get(gvk.kind) ?? [];
    const fields = anyKind.length ? [...ofKind, ...anyKind].sort((a, b) => a.order - b.order) : ofKind;
    return fields.filter((f) => gvkSelects(f.spec, gvk));
  };
}

const fieldIndexes = new WeakMap<NameBackReferences[], { byKind: Map<string, OrderedNameField[]>; anyKind: OrderedNameField[] }>();

/**
 * The objects a referrer may point at: cluster-scoped ones, those in its namespace, and for a
 * RoleBinding those in the namespaces of its ServiceAccount subjects. A cluster-scoped referrer
 * may point at anything.
 */
function candidatesFor(referrer: Resource, all: Resource[]): Resource[] {
  const referrerId = referrer.curId();
  if (isClusterScoped(referrerId)) return all;
  const subjectNamespaces = roleBindingSubjectNamespaces(referrer);
  return all.filter((r) => {
    const id = r.curId();
    return isClusterScoped(id) || effectiveNamespace(id) === effectiveNamespace(referrerId) || subjectNamespaces.has(r.namespace);
  });
}

function roleBindingSubjectNamespaces(r: Resource): Set<string> {
  const out = new Set<string>();
  if (r.kind !== 'RoleBinding' || !Array.isArray(r.obj.subjects)) return out;
  for (const s of r.obj.subjects) {
    if (!isObject(s) || !hasKey(s, 'namespace') || s.kind !== 'ServiceAccount') continue;
    if (typeof s.namespace !== 'string') {
      throw new BuildError(`Invalid Input: namespace is blank for resource "${resIdString(r.curId())}"\n`);
    }
    out.add(s.namespace);
  }
  return out;
}

function fixField(referrer: Resource, field: NameField, candidates: Resource[]): void {
  const sel: Selection = { referrer, field, candidates };
  try {
    // the field list was chosen by the referrer's original kind; the path applies to it whatever it is now
    visitFieldSpec(referrer.obj, referrer.gvk, { path: field.spec.path }, (ref) => {
      const v = ref.value;
      if (v === null || v === undefined) return;
      if (Array.isArray(v)) {
        v.forEach((item, i) => {
          if (isObject(item)) fixNameAndNamespace(sel, item);
          else if (isScalar(item)) fixName(sel, item, (name) => (v[i] = name));
          else if (item !== null) throw new BuildError(`${JSON.stringify(item)} is expected to be either a string or a map of string`);
        });
      } else if (isObject(v)) {
        fixNameAndNamespace(sel, v);
      } else {
        fixName(sel, v, (name) => ref.set(name));
      }
    });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    throw new BuildError(`updating name reference in '${field.spec.path}' field of '${resIdString(referrer.curId())}': ${e.message}`, e.file, e.line);
  }
}

interface Selection {
  referrer: Resource;
  field: NameField;
  candidates: Resource[];
}

type Scalar = string | number | bigint | boolean;

function isScalar(v: JsonValue): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/** A field holding just a name. */
function fixName(sel: Selection, value: Scalar, write: (name: string) => void): void {
  const oldName = String(value);
  const referral = selectReferral(sel, oldName, sel.candidates, (a, b) => a.name === b.name);
  if (!referral) return;
  referral.state.refBy.push(sel.referrer.curId());
  if (referral.name !== oldName) write(referral.name);
}

/**
 * A map with `name` and maybe `namespace` (RBAC subjects, webhook services): a given namespace
 * narrows the candidates (by original namespace, else current), and the referral's namespace is
 * written along with its name unless it has none.
 */
function fixNameAndNamespace(sel: Selection, node: JsonObject): void {
  if (!hasKey(node, 'name')) throw new BuildError("path config error; no 'name' field in node");
  const oldName = scalarText(node.name);
  const candidates = hasKey(node, 'namespace') ? inNamespace(sel.candidates, scalarText(node.namespace)) : sel.candidates;
  const referral = selectReferral(sel, oldName, candidates, (a, b) => a.name === b.name && a.namespace === b.namespace);
  if (!referral) return;
  referral.state.refBy.push(sel.referrer.curId());
  if (referral.name === oldName && referral.namespace === '') return;
  node.name = referral.name;
  if (referral.namespace !== '') node.namespace = referral.namespace;
}

function scalarText(v: JsonValue | undefined): string {
  return v !== undefined && v !== null && isScalar(v) ? String(v) : '';
}

function inNamespace(candidates: Resource[], namespace: string): Resource[] {
  const byOriginal = candidates.filter((r) => namespaceKey(r.orgId()) === namespace);
  if (byOriginal.length > 0) return byOriginal;
  return candidates.filter((r) => namespaceKey(r.curId()) === namespace);
}

/** A resource's namespace for grouping; cluster-scoped resources belong to no group. */
function namespaceKey(id: ResId): string | undefined {
  return isClusterScoped(id) ? undefined : effectiveNamespace(id);
}

function selectReferral(
  sel: Selection,
  oldName: string,
  candidates: Resource[],
  sameReferral: (a: Resource, b: Resource) => boolean,
): Resource | undefined {
  const { referrer, field } = sel;
  const roleRefKind = field.spec.path.endsWith('roleRef/name') ? roleRefGvk(referrer) : undefined;
  let found = candidates.filter(
    (r) =>
      r.state.previousIds.some((id) => id.name === oldName) &&
      r.state.previousIds.some((id) => gvkSelects(field.target, id)) &&
      (!roleRefKind || r.state.previousIds.some((id) => gvkSelects(roleRefKind, id))) &&
      visibleFrom(referrer, r),
  );
  if (found.length === 1) return found[0];
  // first with an empty prefix or suffix list on either side matching anything, then strictly
  found = found.filter((r) => affixesMatch(r, referrer, true));
  if (found.length > 1) found = found.filter((r) => affixesMatch(r, referrer, false));
  if (found.length <= 1) return found[0];
  if (found.every((r) => sameReferral(r, found[0]!))) return found[0];
  throw new BuildError(` found multiple possible referrals: ${found.map((r) => resIdString(r.curId())).join(', ')}`);
}

/** The group and kind a RoleBinding's roleRef names; without both, any kind may match. */
function roleRefGvk(referrer: Resource): Partial<Gvk> | undefined {
  const roleRef = referrer.obj.roleRef;
  if (!isObject(roleRef) || !hasKey(roleRef, 'apiGroup') || !hasKey(roleRef, 'kind')) return undefined;
  return { group: scalarText(roleRef.apiGroup), kind: scalarText(roleRef.kind) };
}

/**
 * A namespaced referrer sees objects in its own namespace, cluster-scoped objects, and service
 * accounts anywhere (a binding may name one from another namespace).
 */
function visibleFrom(referrer: Resource, r: Resource): boolean {
  const referrerId = referrer.curId();
  const id = r.curId();
  if (isClusterScoped(referrerId) || isClusterScoped(id) || r.kind === 'ServiceAccount') return true;
  return effectiveNamespace(referrerId) === effectiveNamespace(id);
}

/** kustomize's PrefixesSuffixesEquals: both sides received the same name prefixes and suffixes. */
function affixesMatch(r: Resource, referrer: Resource, allowEmpty: boolean): boolean {
  const matches = (a: string[], b: string[]): boolean => (allowEmpty && (a.length === 0 || b.length === 0)) || sameEnding(a, b);
  return matches(r.state.namePrefixes, referrer.state.namePrefixes) && matches(r.state.nameSuffixes, referrer.state.nameSuffixes);
}

/** True when the shorter list is the tail of the longer one; an empty list only matches an empty one. */
function sameEnding(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return long.length === 0;
  const offset = long.length - short.length;
  return short.every((s, i) => long[i + offset] === s);
}
