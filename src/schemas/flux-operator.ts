/**
 * Flux Operator installs Flux itself (a FluxInstance) and patches notification-controller's CRDs
 * so that Alerts can name its own kinds as event sources. Its CRDs are AGPL-licensed and are not
 * bundled; only this addition to Flux's own schemas is made here.
 */
import { sha256 } from '../files.js';
import { isObject, type JsonObject } from '../json/value.js';
import { FLUX_NOTIFICATION_GROUP } from '../kubernetes/api-groups.js';
import type { SchemaCatalog, SchemaEntry } from './catalog.js';
import { serializeSchema } from './store.js';

/** The kinds Flux Operator adds to the Alert `spec.eventSources[].kind` enum. */
export const FLUX_OPERATOR_EVENT_SOURCE_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'];

const ENUM_PATH = ['properties', 'spec', 'properties', 'eventSources', 'items', 'properties', 'kind'];

/** Patched entries by the hash of the schema they patch: each Alert schema is patched (and compiled) once. */
const patched = new Map<string, SchemaEntry | null>();

/** Every Alert version of the catalog as a cluster whose Flux a FluxInstance installs serves it. */
export function fluxOperatorEntries(catalog: SchemaCatalog): SchemaEntry[] {
  return catalog.versionsOf(FLUX_NOTIFICATION_GROUP, 'Alert').flatMap((version) => {
    const entry = catalog.lookup(`${FLUX_NOTIFICATION_GROUP}/${version}`, 'Alert');
    if (!entry) return [];
    let result = patched.get(entry.hash);
    if (result === undefined) patched.set(entry.hash, (result = withOperatorKinds(entry)));
    return result ? [result] : [entry];
  });
}

/** The entry with the enum extended, or null when its schema has no such enum (an Alert version without one accepts any kind). */
function withOperatorKinds(entry: SchemaEntry): SchemaEntry | null {
  const schema = structuredClone(entry.schema) as JsonObject;
  let node: unknown = schema;
  for (const key of ENUM_PATH) node = isObject(node as JsonObject) ? (node as JsonObject)[key] : undefined;
  if (!isObject(node as JsonObject) || !Array.isArray((node as JsonObject).enum)) return null;
  const kinds = (node as { enum: unknown[] }).enum;
  for (const k of FLUX_OPERATOR_EVENT_SOURCE_KINDS) if (!kinds.includes(k)) kinds.push(k);
  const { schema: _, ...rest } = entry;
  return { ...rest, schema, hash: sha256(serializeSchema(schema)) };
}
