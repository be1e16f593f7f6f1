import type { JsonObject, JsonValue } from '../json/value.js';
import type { ResourceKey } from '../kubernetes/resource-key.js';

/**
 * The report of a diff: what changed between two sets of rendered resources, per cluster. It is
 * built once, frozen, and read by the dangers and the writers; nothing mutates it afterwards.
 */

/** One step into an object: a field, or a list entry named by its key fields (`name=app`) or by its index. */
export type PathSegment = { field: string } | { entry: string };

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One leaf that differs. A masked change (Secret data) carries no values at all. */
export interface FieldChange {
  /** `spec.template.spec.containers[name=app].image`; see formatPath. */
  path: string;
  segments: readonly PathSegment[];
  change: ChangeKind;
  from?: JsonValue;
  to?: JsonValue;
  masked?: boolean;
}

/** One object that was added, removed or changed; `from`/`to` are the sides after filtering and masking. */
export interface ResourceChange {
  key: ResourceKey;
  change: ChangeKind;
  /** A generator's hash-suffixed ConfigMap/Secret whose name changed with its content: the old name. */
  renamedFrom?: string;
  from?: JsonObject;
  to?: JsonObject;
  fields: readonly FieldChange[];
}

export type ClusterStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ClusterDiff {
  name: string;
  status: ClusterStatus;
  /** Resources added, removed or changed, by group, kind, namespace and name. */
  resources: readonly ResourceChange[];
  /** Resources the same on both sides. */
  unchanged: number;
  /** The cluster's objects are applied by a Flux Kustomization with `prune: true`: an object that disappears is deleted. */
  pruned: boolean;
}

/** A setting the two sides' fleet specs define differently ("kubernetesVersion: v1.33.4 → v1.32.6"). */
export interface SettingChange {
  /** `kubernetesVersion`, `addons.cert-manager.version`, `nodePools[name=system].vmSize`. */
  path: string;
  from?: JsonValue;
  to?: JsonValue;
}

export type DangerSeverity = 'error' | 'warning' | 'info';

export interface DangerFinding {
  id: string;
  severity: DangerSeverity;
  /** The cluster it happens in; absent for a finding over the whole diff. */
  cluster?: string;
  resource?: ResourceKey;
  /** The field, as FieldChange.path. */
  path?: string;
  message: string;
}

export interface DiffSummary {
  clusters: number;
  clustersChanged: number;
  added: number;
  changed: number;
  removed: number;
  dangers: Record<DangerSeverity, number>;
}

export interface DiffReport {
  /** What each side is, as the user named it (`staging`, `overlays/prod/eu-1`). */
  from: string;
  to: string;
  settings: readonly SettingChange[];
  clusters: readonly ClusterDiff[];
  dangers: readonly DangerFinding[];
  summary: DiffSummary;
}
