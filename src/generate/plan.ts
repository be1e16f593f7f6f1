import { BuildError } from '../errors.js';
import type { GeneratedFile } from '../fleet/types.js';
import { readStamp, stampContent } from './header.js';

/** `write` carries the plan out; `dry-run` shows it with diffs; `check` lists what differs. */
export type PlanMode = 'write' | 'dry-run' | 'check';

/** The top-level folders of the fleet repository that `generate` writes and reads back. */
export const GENERATED_ROOTS: readonly string[] = ['base', 'overlays'];

/**
 * What `generate` does to one file:
 * - `create`, `update`, `delete`: write or remove it;
 * - `unchanged`: it already holds what the spec generates;
 * - `stale`: capifleet generated it, the spec no longer does, and it stays because `--prune` is off;
 * - `conflict`: a person's work is in the way (see `HandEdit`) and stays because `--force` is off.
 */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'delete' | 'stale' | 'conflict';

/** A person's work found where generate would write or remove: `edited` a generated file, or `hand-written` one in its place. */
export type HandEdit = 'edited' | 'hand-written';

export interface PlanEntry {
  /** Relative to the fleet repository's root, POSIX separators. */
  path: string;
  action: PlanAction;
  /** The file on disk now (LF line ends); absent for `create`. */
  current?: string;
  /** What generate writes, header included: for `create` and `update`, and for a `conflict` what `--force` would write. */
  content?: string;
  /** For a `conflict`, the work left alone; for an `update` or `delete`, the work `--force` overwrites. */
  handEdit?: HandEdit;
}

export interface PlanOptions {
  /** Remove generated files the spec no longer generates. */
  prune?: boolean;
  /** Overwrite (or with `prune`, remove) files people edited. */
  force?: boolean;
  /**
   * What the spec generated before a command edited it (path → content without header), for
   * `promote`: a file on disk holding exactly that (stamped or not) is no person's work.
   */
  previous?: ReadonlyMap<string, string>;
}

/**
 * Compares the files the spec generates (`desired`, without header) with the files under the
 * generated roots on disk (`current`, path → content) and says what to do with each. Pure; the
 * result is sorted by path. Files without a header that the spec does not generate are a
 * person's and do not appear: they are never touched.
 */
export function planTree(desired: readonly GeneratedFile[], current: ReadonlyMap<string, string>, options: PlanOptions = {}): PlanEntry[] {
  const entries: PlanEntry[] = [];
  const generated = new Set<string>();
  for (const file of desired) {
    checkTreePath(file.path);
    if (generated.has(file.path)) throw new Error(`generated twice: ${file.path}`);
    generated.add(file.path);
    const content = stampContent(file.content);
    const onDisk = current.get(file.path);
    if (onDisk === undefined) {
      entries.push({ path: file.path, action: 'create', content });
      continue;
    }
    const now = lf(onDisk);
    if (now === content) {
      entries.push({ path: file.path, action: 'unchanged', current: now });
      continue;
    }
    const stamp = readStamp(now);
    // A person's edit that already equals what the spec generates (or generated) loses nothing when overwritten.
    const ours = stamp.state === 'intact' || stamp.body === file.content || stamp.body === options.previous?.get(file.path);
    const handEdit = ours ? undefined : stamp.state === 'edited' ? 'edited' : 'hand-written';
    entries.push({ path: file.path, action: handEdit && !options.force ? 'conflict' : 'update', current: now, content, ...(handEdit ? { handEdit } : {}) });
  }
  for (const [path, onDisk] of current) {
    if (generated.has(path)) continue;
    const now = lf(onDisk);
    const { state } = readStamp(now);
    if (state === 'unstamped') continue;
    const edited = state === 'edited';
    const action = !options.prune ? 'stale' : edited && !options.force ? 'conflict' : 'delete';
    entries.push({ path, action, current: now, ...(edited ? { handEdit: 'edited' as const } : {}) });
  }
  return entries.sort(byPath);
}

/** The order of generated files and plan entries: by path, byte-wise. */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Checkouts with CRLF line ends (git autocrlf) hold the same file. */
function lf(text: string): string {
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
}

/**
 * Generated paths come from names in the spec: whatever slipped through its checks must not
 * reach outside the repository (absolute paths, `..`, drive letters, backslashes), nor outside
 * the folders `generate` reads back, where it could not see what it overwrites.
 */
export function checkTreePath(path: string): void {
  const segments = path.split('/');
  if (/^[A-Za-z]:/.test(path) || /[\\\0]/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new BuildError(`refusing to write outside the fleet repository: ${JSON.stringify(path)}`);
  }
  if (segments.length < 2 || !GENERATED_ROOTS.includes(segments[0]!)) {
    throw new BuildError(`refusing to write outside ${GENERATED_ROOTS.map((r) => `${r}/`).join(' and ')}: ${JSON.stringify(path)}`);
  }
}

/** How many files each action concerns. */
export function countActions(entries: readonly PlanEntry[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0, stale: 0, conflict: 0 };
  for (const e of entries) counts[e.action]++;
  return counts;
}
