import { isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import type { SchemaCatalog } from '../../schemas/catalog.js';
import type { ClusterDiff, DangerSeverity, ResourceChange } from '../types.js';

export interface DangerMeta {
  /** Stable id `<area>/<check>`, as the validate rules'. */
  id: string;
  severity: DangerSeverity;
  /** One line: what the change would do. */
  doc: string;
}

/** What a danger says; the engine adds its id and severity. */
export interface DangerHit {
  cluster?: string;
  resource?: ResourceChange['key'];
  path?: string;
  message: string;
}

export interface DangerContext {
  clusters: readonly ClusterDiff[];
  /** How many changed clusters make a change fleet-wide (fleet/many-clusters). */
  manyClusters: number;
  /** The schemas, for the API versions served (k8s/removed-api-version); without it that danger checks nothing. */
  catalog?: SchemaCatalog;
}

/** A check over a diff for a change that would hurt once applied. One module per danger, like the validate rules. */
export interface Danger {
  meta: DangerMeta;
  check(context: DangerContext): DangerHit[];
}

/** Every resource change of every cluster, with its cluster. */
export function* changesOf(clusters: readonly ClusterDiff[]): Generator<{ cluster: ClusterDiff; change: ResourceChange }> {
  for (const cluster of clusters) for (const change of cluster.resources) yield { cluster, change };
}

/** A field of an object by its names, or undefined. */
export function fieldAt(obj: JsonValue | undefined, ...names: string[]): JsonValue | undefined {
  let v: JsonValue | undefined = obj;
  for (const n of names) v = isObject(v) ? v[n] : undefined;
  return v;
}

/** `Kind ns/name`, how messages name an object. */
export function objectText(key: ResourceChange['key']): string {
  return `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

export function sideOf(change: ResourceChange): JsonObject {
  return (change.to ?? change.from)!;
}
