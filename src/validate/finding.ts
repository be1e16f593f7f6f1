import type { Resource } from '../engine/resource.js';

export type Severity = 'error' | 'warning' | 'info';

/** The object a finding is about, as a person names it. */
export interface FindingResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One overlay (or manifest file, or stdin) that was validated, with the objects it held. */
export interface CheckedUnit {
  name: string;
  resources: FindingResource[];
}

/** A file and 1-based line. */
export interface FileLine {
  file: string;
  line: number;
}

/** One problem found in a set of manifests; every reporter prints these and nothing else. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The overlay (kustomization directory, file or stdin) whose output held the object. */
  overlay?: string;
  resource?: FindingResource;
  /** JSON pointer (RFC 6901) in the rendered object. */
  path?: string;
  expected?: string;
  actual?: string;
  /** Where a person must edit: the file and line that set the offending value. */
  location?: FileLine;
}

/** A finding before the engine grades it: checks say what is wrong, configuration says how bad. */
export type UngradedFinding = Omit<Finding, 'severity' | 'ruleId' | 'overlay'>;

export function findingResource(r: Resource): FindingResource {
  const named: FindingResource = { apiVersion: r.apiVersion, kind: r.kind, name: r.name };
  const namespace = r.namespace;
  if (namespace) named.namespace = namespace;
  return named;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Stable report order: by overlay, then file and line, then severity, rule and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.overlay ?? '', b.overlay ?? '') ||
    cmp(a.location?.file ?? '', b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
