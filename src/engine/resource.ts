import { formatNumber } from '../yaml/numbers.js';
import { clone, getStringMap, hasKey, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { effectiveNamespace, type Gvk, type ResId } from './resid.js';
import { parseApiVersion } from '../kubernetes/resource-key.js';

/** Where a resource, patch or transformer config came from; what buildMetadata annotations print. */
export interface Origin {
  path?: string;
  repo?: string;
  ref?: string;
  configuredIn?: string;
  configuredBy?: { apiVersion: string; kind: string; name?: string; namespace?: string };
}

/** File and line of the document a resource was read from (1-based line), for error reports. */
export interface SourceLocation {
  file: string;
  line: number;
}

export type GenerationBehavior = 'create' | 'merge' | 'replace';

/**
 * What kustomize tracks about a resource during a build but never prints. kustomize keeps this in
 * internal annotations; here it lives beside the object so transformers cannot see or touch it.
 */
export interface BuildState {
  /** Every earlier id, oldest first, so references written against old names can be fixed. */
  previousIds: ResId[];
  namePrefixes: string[];
  nameSuffixes: string[];
  /** Ids of resources whose references to this one were rewritten (kustomize's refBy). */
  refBy: ResId[];
  refVarNames: string[];
  behavior?: GenerationBehavior;
  needsHashSuffix: boolean;
  /** Generator option: `data` values from files merged as file content. */
  fileMergeMode?: boolean;
  allowNameChange: boolean;
  allowKindChange: boolean;
  origin?: Origin;
  transformations?: Origin[];
  source?: SourceLocation;
}

export function emptyBuildState(): BuildState {
  return {
    previousIds: [],
    namePrefixes: [],
    nameSuffixes: [],
    refBy: [],
    refVarNames: [],
    needsHashSuffix: false,
    allowNameChange: false,
    allowKindChange: false,
  };
}

function cloneState(s: BuildState): BuildState {
  return {
    ...s,
    previousIds: s.previousIds.map((id) => ({ ...id })),
    namePrefixes: [...s.namePrefixes],
    nameSuffixes: [...s.nameSuffixes],
    refBy: s.refBy.map((id) => ({ ...id })),
    refVarNames: [...s.refVarNames],
    ...(s.transformations ? { transformations: s.transformations.map((o) => ({ ...o })) } : {}),
  };
}

/** A field's text as kustomize reads it from the YAML node: `name: 123` is named "123". */
/**
 * An object's metadata.name or metadata.namespace as text (numbers and booleans as written, else
 * empty). Read directly rather than through getPath: every check of every object asks for these.
 */
export function metadataText(obj: JsonObject, key: 'name' | 'namespace'): string {
  const m = obj.metadata;
  return scalarText(isObject(m) && hasKey(m, key) ? m[key] : undefined);
}

/** A scalar field as kyaml reads its node's text (numbers and booleans as written); empty for anything else. */
export function scalarText(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(v);
  return typeof v === 'boolean' ? String(v) : '';
}

/**
 * A Kubernetes object in a build: its content plus the build state kustomize tracks for it.
 * Transformers change `obj` in place, so its ids are kept with the strings they were made from and
 * made again only when one of those changed: every selection, append and reference fix asks for
 * them, and a new object per question was most of a build's garbage.
 */
export class Resource {
  /** The gvk with the object's apiVersion and kind values it was read from (the same values read the same). */
  private gvkMemo: { apiVersion: JsonValue | undefined; kind: JsonValue | undefined; gvk: Gvk } | undefined;
  private idMemo: { gvk: Gvk; name: string; namespace: string; id: ResId } | undefined;

  constructor(
    public obj: JsonObject,
    public state: BuildState = emptyBuildState(),
  ) {}

  clone(): Resource {
    return new Resource(clone(this.obj), cloneState(this.state));
  }

  get apiVersion(): string {
    return scalarText(this.obj.apiVersion);
  }
  get kind(): string {
    return scalarText(this.obj.kind);
  }
  get name(): string {
    return metadataText(this.obj, 'name');
  }
  get namespace(): string {
    return metadataText(this.obj, 'namespace');
  }
  /** Frozen: it is shared until the object's apiVersion or kind changes. */
  get gvk(): Gvk {
    const { apiVersion, kind } = this.obj;
    const memo = this.gvkMemo;
    if (memo !== undefined && memo.apiVersion === apiVersion && memo.kind === kind) return memo.gvk;
    const gvk = Object.freeze({ ...parseApiVersion(scalarText(apiVersion)), kind: scalarText(kind) });
    this.gvkMemo = { apiVersion, kind, gvk };
    return gvk;
  }

  /** Frozen: it is shared until the object's gvk, name or namespace changes. */
  curId(): ResId {
    const gvk = this.gvk;
    const name = this.name;
    const namespace = this.namespace;
    const memo = this.idMemo;
    if (memo?.gvk === gvk && memo.name === name && memo.namespace === namespace) return memo.id;
    const id = Object.freeze({ ...gvk, name, namespace });
    this.idMemo = { gvk, name, namespace, id };
    return id;
  }

  /** The id the resource had when it entered the build. */
  orgId(): ResId {
    return this.state.previousIds[0] ?? this.curId();
  }

  /** Remembers the current id before a transformer renames, re-kinds or moves the resource. */
  storePreviousId(): void {
    const id = this.curId();
    this.state.previousIds.push({ ...id, namespace: effectiveNamespace(id) });
  }

  metadata(): JsonObject {
    let m = this.obj.metadata;
    if (!isObject(m)) {
      m = {};
      this.obj.metadata = m;
    }
    return m;
  }

  setName(name: string): void {
    this.metadata().name = name;
  }

  setNamespace(ns: string): void {
    if (ns === '') delete this.metadata().namespace;
    else this.metadata().namespace = ns;
  }

  setKind(kind: string): void {
    this.obj.kind = kind;
  }

  labels(): Record<string, string> {
    return getStringMap(this.obj, ['metadata', 'labels']);
  }

  annotations(): Record<string, string> {
    return getStringMap(this.obj, ['metadata', 'annotations']);
  }

  /** Replaces a metadata string map; an empty map removes the field, as kustomize does. */
  setStringMap(field: 'labels' | 'annotations', m: Record<string, string>): void {
    const md = this.metadata();
    if (Object.keys(m).length === 0) delete md[field];
    else md[field] = { ...m };
  }
}
