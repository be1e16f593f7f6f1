import { BuildError } from '../../errors.js';
import { getPath, isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import { resIdString } from '../resid.js';
import type { Resource } from '../resource.js';
import type { ResMap } from '../resmap.js';
import { goResIdRepr } from './go-format.js';

/**
 * Adds generated resources to a build the way kustomize absorbs generator output: a new id is
 * appended (unless the generator asked to merge or replace); an id that already exists — as the
 * current or any earlier id of a resource from resources, bases or an earlier generator — must be
 * merged or replaced, and the result takes the existing resource's place.
 */
export function absorbGenerated(resources: ResMap, generated: Resource[]): void {
  for (const res of generated) absorbOne(resources, res);
}

function absorbOne(resources: ResMap, res: Resource): void {
  const id = res.curId();
  const matches = resources.byAnyId(id);
  if (matches.length > 1) {
    throw new BuildError(`found multiple objects ${matches.map((m) => resIdString(m.curId())).join(', ')} that could accept merge of ${resIdString(id)}`);
  }
  const old = matches[0];
  const behavior = res.state.behavior;
  if (!old) {
    if (behavior === 'merge' || behavior === 'replace') {
      throw new BuildError(`id ${goResIdRepr(id)} does not exist; cannot merge or replace`);
    }
    resources.append(res);
    return;
  }
  if (behavior !== 'merge' && behavior !== 'replace') {
    throw new BuildError(`id ${goResIdRepr(id)} exists; behavior must be merge or replace`);
  }
  takeOverIdentity(res, old);
  if (behavior === 'merge') {
    mergeStringField(res, old, 'data');
    mergeStringField(res, old, 'binaryData');
    if (old.state.origin) res.state.origin = old.state.origin;
  }
  resources.replace(old, res);
}

/**
 * The generated object keeps its own content but takes the existing object's name, namespace
 * and build history; labels and annotations are unioned, the generated ones winning. The hash
 * suffix survives only if both sides want it.
 */
function takeOverIdentity(res: Resource, old: Resource): void {
  res.setStringMap('labels', { ...old.labels(), ...res.labels() });
  res.setStringMap('annotations', { ...old.annotations(), ...res.annotations() });
  res.setName(old.name);
  res.setNamespace(old.namespace);
  const own = res.state;
  res.state = old.clone().state;
  res.state.needsHashSuffix = old.state.needsHashSuffix && own.needsHashSuffix;
  const origin = own.origin ?? old.state.origin;
  if (origin) res.state.origin = origin;
  else delete res.state.origin;
}

/** `data` or `binaryData` of both, as strings, the generated values winning; empty means absent. */
function mergeStringField(res: Resource, old: Resource, field: 'data' | 'binaryData'): void {
  const merged = { ...scalarTextMap(getPath(old.obj, [field])), ...scalarTextMap(res.obj[field]) };
  const keys = Object.keys(merged);
  if (keys.length === 0) {
    delete res.obj[field];
    return;
  }
  const out: JsonObject = {};
  for (const k of keys) out[k] = merged[k]!;
  res.obj[field] = out;
}

/** A map's values as the text of their scalars (kustomize reads them as strings); non-scalars read as "". */
function scalarTextMap(m: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(m)) return out;
  for (const [k, v] of Object.entries(m)) {
    out[k] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '';
  }
  return out;
}
