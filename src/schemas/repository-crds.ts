/**
 * Schemas from the CustomResourceDefinitions a repository applies itself: a cluster that receives
 * a CRD serves its custom resources as that CRD says, whatever release the bundled schemas hold.
 */
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import { sha256 } from '../files.js';
import { getPath, type JsonValue } from '../json/value.js';
import type { SchemaEntry } from './catalog.js';
import { convertCrd, type ConvertedVersion } from './convert.js';
import { serializeSchema } from './store.js';

/** A CustomResourceDefinition object among what a cluster receives, and where it was read. */
export interface AppliedCrd {
  value: JsonValue;
  file?: string;
  line?: number;
}

/** A served version converted, with its schema's hash; by the CRD's content, so a CRD many clusters receive is converted once. */
type Converted = (ConvertedVersion & { hash: string })[];
const converted = new Map<string, Converted>();

/**
 * The catalog entries of every version the CRDs serve, converted with the same code as
 * `schemas import`. A CRD that does not convert (not apiextensions.k8s.io/v1, no schema for a
 * served version) gives none: the schema check of the CRD object itself says what is wrong.
 */
export function appliedCrdEntries(crds: readonly AppliedCrd[]): SchemaEntry[] {
  return crds.flatMap((crd) => {
    const name = getPath(crd.value, ['metadata', 'name']);
    const where = { name: typeof name === 'string' ? name : '', ...(crd.file !== undefined ? { file: crd.file, line: crd.line ?? 1 } : {}) };
    return convertedVersions(crd).map((v): SchemaEntry => ({
      apiVersion: v.apiVersion,
      kind: v.kind,
      schema: v.schema,
      deprecated: v.deprecated,
      ...(v.deprecationWarning !== undefined ? { deprecationWarning: v.deprecationWarning } : {}),
      hash: v.hash,
      source: { project: 'repository', tag: '', file: crd.file ?? '' },
      crd: where,
    }));
  });
}

function convertedVersions(crd: AppliedCrd): Converted {
  const content = sha256(JSON.stringify(crd.value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  let versions = converted.get(content);
  if (versions === undefined) {
    try {
      versions = convertCrd(crd.value, { file: crd.file ?? '<repository>', line: crd.line ?? 1 }).map((v) => ({ ...v, hash: sha256(serializeSchema(v.schema)) }));
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      printDebug(`${e.message}: this CustomResourceDefinition serves no schema`);
      versions = [];
    }
    converted.set(content, versions);
  }
  return versions;
}
