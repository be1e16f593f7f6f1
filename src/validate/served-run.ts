import * as path from 'node:path';
import { printDebug } from '../debug.js';
import { BuildError } from '../errors.js';
import { jsonText, readRegularFile, sha256, writeFileAtomic } from '../files.js';
import { isObject, type JsonValue } from '../json/value.js';
import { PathObserver, type ReadStamps } from '../engine/read-set.js';
// types only: a run served whole loads neither the result cache's packs, the engine nor the checks
import type { RunResult, RunScope } from './result-cache.js';
import type { Validated } from './validate-many.js';
import type { WarningSink } from '../worker-pool.js';

/**
 * The last run the result cache kept (see keepLastRun), in the cache folder; the name changes
 * whenever the layout does. Line one: the run's check and stamps; line two: its result, read
 * only when the run is served.
 */
const LAST_RUN_FILE = 'last-run-v1.jsonl';

/** A run's scope in its working directory: reports name files relative to it. */
export function runName(run: RunScope): string {
  return JSON.stringify([process.cwd(), run.paths, run.repository ?? null]);
}

/** What ties a kept last run to its scope and fingerprint (see resultFingerprint, keyed with the user's secret). */
function lastRunCheck(run: RunScope, fingerprint: string): string {
  return sha256(`${fingerprint}\0${runName(run)}\0last run`);
}

/**
 * Keeps a run's result with the stamps of every path it looked at (see PathObserver.stamp), for
 * the next run of the same scope to be served by stat alone. A later run of another scope
 * replaces it: the result cache's run entries serve that one.
 */
export function keepLastRun(cacheDir: string, run: RunScope, fingerprint: string, stamps: ReadStamps, result: RunResult): void {
  try {
    writeFileAtomic(path.join(cacheDir, LAST_RUN_FILE), `${JSON.stringify([lastRunCheck(run, fingerprint), stamps])}\n${JSON.stringify(result)}`);
  } catch {
    // a cache that cannot be written (read-only checkout) only costs speed
  }
}

/**
 * What the last run kept (see keepLastRun) reported, when it was of `run`'s scope with this
 * fingerprint and every path it looked at shows by stat what it showed then (see
 * PathObserver.stillStamped): nothing is hashed, and the result cache is not read.
 */
export function lastRunServed(cacheDir: string, run: RunScope, fingerprint: string, observer = new PathObserver()): RunResult | undefined {
  const file = path.join(cacheDir, LAST_RUN_FILE);
  let bytes: Buffer | undefined;
  try {
    bytes = readRegularFile(file);
  } catch (e) {
    printDebug(`${file}: ${e instanceof BuildError ? e.message : String(e)}; not served`);
  }
  if (bytes === undefined) return undefined;
  const lineEnd = bytes.indexOf(0x0a);
  const head = parsed(bytes.subarray(0, lineEnd < 0 ? 0 : lineEnd));
  if (!Array.isArray(head) || head[0] !== lastRunCheck(run, fingerprint) || !isStamps(head[1])) return undefined;
  if (!observer.stillStamped(head[1])) return undefined;
  const result = parsed(bytes.subarray(lineEnd + 1));
  if (isObject(result) && Array.isArray(result.units) && Array.isArray(result.findings) && Array.isArray(result.warnings)) return result as unknown as RunResult;
  printDebug(`${file}: not a run's result; not served`);
  return undefined;
}

function parsed(bytes: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(jsonText(bytes)) as JsonValue;
  } catch {
    return undefined;
  }
}

function isStamps(value: JsonValue | undefined): value is ReadStamps {
  return Array.isArray(value) && value.every((s) => s === null || typeof s === 'string');
}

/** What validatePaths reports when a run is served whole (see lastRunServed, ManifestResultCache.lookupRun): the result, its warnings given again. */
export function servedRun(served: RunResult, onWarning?: WarningSink): Validated {
  for (const w of served.warnings) onWarning?.(w.message, w.file);
  return { units: served.units, findings: served.findings, codeCaches: [], threads: 1, jobs: { total: 0, here: 0 }, servedWhole: true };
}
