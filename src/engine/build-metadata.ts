import { yamlLibrary } from '../libraries.js';
import type { Origin, Resource } from './resource.js';
import type { ResMap } from './resmap.js';

/** The `buildMetadata` options a top-level kustomization can switch on. */
export interface BuildMetadataFlags {
  originAnnotations: boolean;
  transformerAnnotations: boolean;
  managedByLabel: boolean;
}

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
/** What kubectl's embedded kustomize prints as its own version in the managed-by label. */
export const MANAGED_BY = { key: 'app.kubernetes.io/managed-by', value: 'kustomize-(devel)' };

export function buildMetadataFlags(options: readonly string[] | undefined): BuildMetadataFlags {
  const has = (o: string): boolean => options?.includes(o) ?? false;
  return {
    originAnnotations: has('originAnnotations'),
    transformerAnnotations: has('transformerAnnotations'),
    managedByLabel: has('managedByLabel'),
  };
}

/** Origin tracking is on for the whole build as soon as the top kustomization names any option. */
export function tracksOrigins(options: readonly string[] | undefined): boolean {
  return (options?.length ?? 0) > 0;
}

/** An origin for a builtin generator or transformer configured in a kustomization file. */
export function builtinOrigin(configuredIn: string, kind: string): Origin {
  return { configuredIn, configuredBy: { apiVersion: 'builtin', kind } };
}

/**
 * Records that a transformer ran over every resource: a resource without an origin is taken to
 * have been made by it, as kustomize does.
 */
export function recordTransformation(resources: ResMap, origin: Origin): void {
  for (const r of resources) {
    if (!r.state.origin) r.state.origin = origin;
    else (r.state.transformations ??= []).push(origin);
  }
}

/** Writes the requested build metadata into each resource's annotations and labels. */
export function writeBuildMetadata(resources: readonly Resource[], flags: BuildMetadataFlags): void {
  for (const r of resources) {
    if (flags.managedByLabel) r.setStringMap('labels', { ...r.labels(), [MANAGED_BY.key]: MANAGED_BY.value });
    const annotations = r.annotations();
    let changed = false;
    if (flags.originAnnotations && r.state.origin) {
      annotations[ORIGIN_ANNOTATION] = originYaml(r.state.origin);
      changed = true;
    }
    if (flags.transformerAnnotations && r.state.transformations?.length) {
      annotations[TRANSFORMATIONS_ANNOTATION] = yamlLibrary().stringify(r.state.transformations.map(orderedOrigin));
      changed = true;
    }
    if (changed) r.setStringMap('annotations', annotations);
  }
}

function originYaml(o: Origin): string {
  return yamlLibrary().stringify(orderedOrigin(o));
}

/** kustomize prints an origin's fields in its struct order, empty ones left out. */
function orderedOrigin(o: Origin): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.path) out.path = o.path;
  if (o.repo) out.repo = o.repo;
  if (o.ref) out.ref = o.ref;
  if (o.configuredIn) out.configuredIn = o.configuredIn;
  if (o.configuredBy) {
    const by: Record<string, string> = { apiVersion: o.configuredBy.apiVersion, kind: o.configuredBy.kind };
    if (o.configuredBy.name) by.name = o.configuredBy.name;
    if (o.configuredBy.namespace) by.namespace = o.configuredBy.namespace;
    out.configuredBy = by;
  }
  return out;
}
