import { BuildError } from '../../errors.js';
import { emitDocument } from '../../yaml/emit.js';
import { parseDocuments } from '../../yaml/parse.js';
import { parseBlockSubset } from '../../yaml/block-subset.js';
import { clone, isObject, setKey, type JsonObject, type JsonValue } from '../../json/value.js';
import type { Loader } from '../loader.js';
import { applyJson6902, json6902OpsIfAny, parseJson6902, type JsonPatchOp } from '../merge/json6902.js';
import { strategicMergeConsuming } from '../merge/strategic.js';
import { MergeSchemaSet } from '../merge/schema.js';
import { resIdString } from '../resid.js';
import type { ResMap } from '../resmap.js';
import { Resource } from '../resource.js';
import { checkFreshNodesReadableBack } from '../resources.js';
import { goQuote } from '../go-strings.js';
import { selectResources } from '../selector.js';
import type { Patch, Selector, Transformer } from '../types.js';

/**
 * The `patches` field and its legacy predecessors, as kustomize v5.5.0's PatchTransformer,
 * PatchStrategicMergeTransformer and PatchJson6902Transformer. Each factory does the plugin's
 * configuration step at once (loading and parsing patches, with kustomize's "trouble
 * configuring" errors) and returns the transformer that applies them, so the pipeline can
 * configure every transformer before running any, as kustomize does.
 */

interface ChangeOptions {
  allowNameChange: boolean;
  allowKindChange: boolean;
  /** The schemas strategic merges consult (the `openapi` field can replace the built-in ones). */
  types: MergeSchemaSet;
}

/** `patches`: one PatchTransformer per entry, applied in order. */
export function patchTransformer(patches: readonly Patch[], loader: Loader, types = MergeSchemaSet.builtin()): Transformer {
  const steps = patches.map((p) => configurePatch(p, loader, types));
  return (resources) => {
    for (const step of steps) step(resources);
  };
}

/** `patchesStrategicMerge`: entries are file paths or, for legacy reasons, inline patch YAML. */
export function patchesStrategicMergeTransformer(entries: readonly string[], loader: Loader, types = MergeSchemaSet.builtin()): Transformer {
  const config = { paths: [...entries] };
  const fail = configError('PatchStrategicMergeTransformer', config);
  const patches: JsonObject[] = [];
  for (const entry of entries) {
    let docs: JsonObject[];
    try {
      docs = patchResourcesFromText(entry);
    } catch {
      docs = fail(() => patchResourcesFromText(loader.load(entry).toString('utf8')));
    }
    patches.push(...docs);
  }
  if (patches.length === 0) {
    fail(() => {
      throw new BuildError(`patch appears to be empty; files=[${entries.join(' ')}], Patch=`);
    });
  }
  return (resources) => {
    for (const patch of patches) applyByPatchId(resources, patch, { allowNameChange: false, allowKindChange: false, types }, false);
  };
}

/** `patchesJson6902`: entries with a target (which must name a resource) and a path or inline patch. */
export function patchesJson6902Transformer(entries: readonly Patch[], loader: Loader): Transformer {
  const steps = entries.map((entry) => {
    const config = compact({ target: entry.target, path: entry.path, jsonOp: entry.patch });
    const fail = configError('PatchJson6902Transformer', config);
    const ops = fail(() => legacyJsonOps(entry, loader));
    const target = entry.target ?? {};
    return (resources: ResMap): void => {
      for (const r of selectResources(resources, target)) applyJsonPatch(r, ops);
    };
  });
  return (resources) => {
    for (const step of steps) step(resources);
  };
}

function configurePatch(entry: Patch, loader: Loader, types: MergeSchemaSet): Transformer {
  const config = compact({ path: entry.path, patch: entry.patch, target: entry.target, options: entry.options });
  const fail = configError('PatchTransformer', config);
  // both are for error messages only: made when one is thrown (every overlay configures patches)
  const configText = (): string => emitDocument(config);
  const source = (): string => (entry.path ? `[path: ${goQuote(entry.path)}]` : `[patch: ${goQuote((entry.patch ?? '').trim())}]`);
  const inline = (entry.patch ?? '').trim();
  const text = fail(() => {
    if (inline === '' && !entry.path) throw new BuildError(`must specify one of patch and path in\n${configText()}`);
    if (inline !== '' && entry.path) throw new BuildError(`patch and path can't be set at the same time\n${configText()}`);
    if (!entry.path) return inline;
    try {
      return loader.load(entry.path).toString('utf8');
    } catch (e) {
      throw new BuildError(`failed to get the patch file from path(${entry.path}): ${(e as Error).message}`);
    }
  });
  // a component's patch is configured again by every overlay that uses it: read once, and kept only
  // once asked for again (an overlay's own patch is not); applying a patch never changes it
  const parsed = fail(() => loader.fileCache.memoWhenShared(`patch:${text}`, () => classifyPatch(text, source), (kept) => kept));
  const options: ChangeOptions = {
    allowNameChange: entry.options?.allowNameChange === true,
    allowKindChange: entry.options?.allowKindChange === true,
    types,
  };
  const target = entry.target;

  if ('ops' in parsed) {
    return (resources) => {
      if (!target) throw new BuildError(`must specify a target for JSON patch ${source()}`);
      for (const r of selectResources(resources, target)) {
        r.storePreviousId();
        applyJsonPatch(r, parsed.ops);
      }
    };
  }
  return (resources) => {
    for (const patch of parsed.sm) {
      if (target) applyToSelected(resources, selectResources(resources, target), patch, options);
      else applyByPatchId(resources, patch, options, true);
    }
  };
}

/** Decides SM or JSON 6902 as kustomize: exactly one of the two readings must succeed. */
function classifyPatch(text: string, source: () => string): { sm: JsonObject[] } | { ops: JsonPatchOp[] } {
  // one plain block mapping, as nearly every patch is, is no list of operations: read it once
  const docs = parseBlockSubset(text);
  if (docs?.length === 1 && isObject(docs[0]!.value)) {
    try {
      return { sm: patchResourcesFromValues([docs[0]!.value]) };
    } catch {
      throw new BuildError(`unable to parse SM or JSON patch from ${source()}`);
    }
  }
  let sm: JsonObject[] | undefined;
  try {
    sm = patchResourcesFromText(text);
  } catch {
    sm = undefined;
  }
  const ops = json6902OpsIfAny(text);
  if (sm && ops) throw new BuildError(`illegally qualifies as both an SM and JSON patch: ${source()}`);
  if (sm) return { sm };
  if (ops) return { ops };
  throw new BuildError(`unable to parse SM or JSON patch from ${source()}`);
}

/**
 * Strategic-merge patches in a text, as kustomize's resource factory reads them: empty documents
 * are skipped, each patch needs a kind and a metadata.name (not for *List kinds), and the items
 * of a List are patches of their own.
 */
export function patchResourcesFromText(text: string): JsonObject[] {
  return patchResourcesFromValues(parseDocuments(text, '').map((d) => d.value));
}

/** patchResourcesFromText for documents already read. */
function patchResourcesFromValues(values: readonly JsonValue[]): JsonObject[] {
  const out: JsonObject[] = [];
  const queue: JsonValue[] = [];
  for (const value of values) {
    if (value === null || (isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    if (!isObject(value)) throw new BuildError('patch is not a map');
    const kind = typeof value.kind === 'string' ? value.kind : '';
    if (kind === '') throw new BuildError('missing kind in object');
    const meta = value.metadata;
    const name = isObject(meta) && typeof meta.name === 'string' ? meta.name : '';
    if (!kind.endsWith('List') && name === '') throw new BuildError('missing metadata.name in object');
    queue.push(value);
  }
  while (queue.length > 0) {
    const doc = queue.shift()!;
    const kind = isObject(doc) && typeof doc.kind === 'string' ? doc.kind : '';
    if (!isObject(doc) || !kind.endsWith('List') || !Object.prototype.hasOwnProperty.call(doc, 'items')) {
      if (isObject(doc)) out.push(doc);
      continue;
    }
    const items = doc.items;
    if (items === null) continue;
    if (!Array.isArray(items)) throw new BuildError(`expected array in ${kind}/items`);
    queue.push(...items);
  }
  return out;
}

/** A strategic-merge patch without target: applied to the one resource with the patch's id. */
function applyByPatchId(resources: ResMap, patch: JsonObject, options: ChangeOptions, newStyle: boolean): void {
  const id = new Resource(patch).curId();
  const matches = resources.byAnyId(id);
  if (matches.length !== 1) {
    const what = matches.length === 0 ? 'no matches' : 'multiple matches';
    const err = `${what} for Id ${resIdString(id)}; failed to find unique target for patch ${resIdString(id)}`;
    throw new BuildError(newStyle ? `no resource matches strategic merge patch ${goQuote(resIdString(id))}: ${err}` : err);
  }
  applyToSelected(resources, matches, patch, options);
}

/**
 * kustomize's ResMap.ApplySmPatch: each selected resource gets a copy of the patch carrying its
 * apiVersion (the patch's kind stays, for allowKindChange); resources the patch deletes leave
 * the map, and the map is rebuilt so id clashes from renames are errors.
 */
function applyToSelected(resources: ResMap, selected: readonly Resource[], patch: JsonObject, options: ChangeOptions): void {
  const kept: Resource[] = [];
  for (const r of resources) {
    if (selected.includes(r)) {
      const copy = clone(patch);
      // kustomize copies the apiVersion node's text back untagged, so a number (`apiVersion: 1`) stays one
      const raw = r.obj.apiVersion;
      setKey(copy, 'apiVersion', typeof raw === 'number' || typeof raw === 'boolean' ? raw : r.apiVersion);
      if (!applySmPatch(r, copy, options)) continue;
    }
    kept.push(r);
  }
  resources.setAll([]);
  resources.appendAll(kept);
}

/** kustomize's Resource.ApplySmPatch, with a patch made for it alone; false when the patch deleted the resource. */
function applySmPatch(r: Resource, patch: JsonObject, options: ChangeOptions): boolean {
  const { name, namespace, kind } = r;
  if (options.allowNameChange || options.allowKindChange) r.storePreviousId();
  const merged = strategicMergeConsuming(r.obj, patch, options.types);
  if (merged === null || Object.keys(merged).length === 0) return false;
  r.obj = merged;
  if (!options.allowKindChange) r.setKind(kind);
  if (!options.allowNameChange) r.setName(name);
  r.setNamespace(namespace);
  return true;
}

const PREVIOUS_ID_ANNOTATIONS = {
  names: 'internal.config.kubernetes.io/previousNames',
  kinds: 'internal.config.kubernetes.io/previousKinds',
  namespaces: 'internal.config.kubernetes.io/previousNamespaces',
};

/**
 * Applies JSON patch operations to a resource. kustomize patches the object together with the
 * internal annotations in which it records previous ids, so those are present (and visible to
 * the operations) while the patch runs, then taken out again.
 */
function applyJsonPatch(r: Resource, ops: readonly JsonPatchOp[]): void {
  const obj = clone(r.obj);
  const prev = r.state.previousIds;
  const internal: Record<string, string> =
    prev.length === 0
      ? {}
      : {
          [PREVIOUS_ID_ANNOTATIONS.names]: prev.map((id) => id.name).join(','),
          [PREVIOUS_ID_ANNOTATIONS.kinds]: prev.map((id) => id.kind).join(','),
          [PREVIOUS_ID_ANNOTATIONS.namespaces]: prev.map((id) => id.namespace).join(','),
        };
  const keys = Object.keys(internal);
  if (keys.length > 0 && isObject(obj.metadata)) {
    const annotations = isObject(obj.metadata.annotations) ? obj.metadata.annotations : {};
    for (const k of keys) setKey(annotations, k, internal[k]!);
    obj.metadata.annotations = annotations;
  }
  const patched = applyJson6902(obj, ops);
  // kustomize reads the patched JSON back into fresh YAML nodes
  checkFreshNodesReadableBack(patched);
  const meta = patched.metadata;
  if (keys.length > 0 && isObject(meta) && isObject(meta.annotations)) {
    const annotations = meta.annotations;
    for (const k of keys) delete annotations[k];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
  }
  r.obj = patched;
}

function legacyJsonOps(entry: Patch, loader: Loader): JsonPatchOp[] {
  if (!entry.target?.name) throw new BuildError('must specify the target name');
  if (!entry.path && !entry.patch) throw new BuildError('empty file path and empty jsonOp');
  if (entry.path && entry.patch) throw new BuildError('must specify a file path or jsonOp, not both');
  const text = entry.path ? loader.load(entry.path).toString('utf8') : entry.patch!;
  if (text === '') throw new BuildError(`patch file '${entry.path}' empty seems to be empty`);
  let ops: JsonPatchOp[];
  try {
    ops = parseJson6902(text);
  } catch (e) {
    throw new BuildError(`decoding ${text}: ${(e as Error).message}`);
  }
  if (ops.length === 0) {
    const shown = text[0] === '[' ? text : JSON.stringify(parseDocuments(text, '')[0]?.value ?? null);
    throw new BuildError(`patch appears to be empty; file=${entry.path ?? ''}, JsonOp=${shown}`);
  }
  return ops;
}

/**
 * Runs a configuration step, reporting its errors as kustomize does for builtin plugins:
 * "trouble configuring builtin X with config: `<config YAML>`: <error>".
 */
function configError(plugin: string, config: JsonObject): <T>(step: () => T) => T {
  return (step) => {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      throw new BuildError(`trouble configuring builtin ${plugin} with config: \`\n${emitDocument(config)}\`: ${e.message}`);
    }
  };
}

/** The plugin config as kustomize marshals it: empty fields omitted. */
function compact(fields: Record<string, string | Selector | Record<string, boolean> | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === '') continue;
    if (typeof v === 'string') {
      out[k] = v;
      continue;
    }
    const inner: JsonObject = {};
    for (const [ik, iv] of Object.entries(v)) if (iv !== undefined && iv !== '') inner[ik] = iv;
    if (Object.keys(inner).length > 0) out[k] = inner;
  }
  return out;
}
