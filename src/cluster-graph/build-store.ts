/**
 * What the cluster graph's builds gave, kept between runs. A path's build (flux-build.ts) is a
 * pure function of the folder, the parts of its Flux Kustomization's spec that shape it
 * (buildShapingSpec) and what its read set shows: every file it read, path it stat'ed, folder it
 * listed, symlink it resolved. The store keeps each successful build's objects (with their build
 * state: `state.source` file and line), read set and warnings under the repository, the path and
 * those spec parts, with what the read set showed when it was kept; a build whose read set shows
 * the same today is served instead of built (ClusterGraphOptions.reuse).
 *
 * The store is pure: whoever uses it says how a read set is observed (a hash of what its paths
 * show, e.g. the validate cache's PathObserver) and keeps the bytes of `encode` where it likes.
 * Each build's objects are kept apart, so every build served is decoded afresh: the caller's own
 * copies, which substitution may change in place. They are kept as JSON when JSON gives them back
 * exactly (JSON.parse reads them four times as fast as node:v8's deserializer), else with node:v8's
 * serializer, which keeps the model's big integers, NaN and -0 (key order both keep). Marks that
 * are not data (a key written without a value, which only a merge during the build looks at) are
 * not kept.
 */
import { createHash } from 'node:crypto';
import * as v8 from 'node:v8';
import { keyedHash, sha256 } from '../files.js';
import { isObject, jsonExact, type JsonObject, type JsonValue } from '../json/value.js';
import { ReadSet, type Read } from '../engine/read-set.js';
import { Resource, type BuildState } from '../engine/resource.js';
import { buildShapingSpec } from './flux-build.js';
import type { BuildWarning, ReusedBuild } from './graph.js';

/** The file of a repository's cache folder the store is kept in: every command that builds the graph there shares it. */
export const BUILD_STORE_FILE = 'builds-v1.bin';

/** What a build gave, as the graph's onBuild hook sees it. */
export interface BuildResult {
  resources: readonly Pick<Resource, 'obj' | 'state'>[];
  reads: readonly Read[];
  warnings: readonly BuildWarning[];
}

/** How a read set is observed: a hash of what its paths show now, or undefined when it cannot be told (then nothing is kept). */
export type ObserveReads = (reads: readonly Read[]) => string | undefined;

/** One build as kept. */
interface StoredBuild {
  /** The repository's absolute path, the path in it and its spec's shaping parts (see buildKey). */
  key: string;
  reads: Read[];
  /** What `reads` showed when the build was kept (see ObserveReads); undefined until settle. */
  observed: string | undefined;
  /** The objects as `[obj, state]` pairs: JSON text (UTF-8) when that gives them back exactly, else v8-serialised. */
  resources: Uint8Array;
  /** Whether `resources` is JSON. */
  json: boolean;
  warnings: BuildWarning[];
  /** What the build gave, as one hash (see buildDigest); made when first asked for in a store kept without it. */
  digest?: string;
}

/**
 * What encode writes after MAGIC and its length (4 bytes, little-endian), as JSON: whose store it
 * is and the builds but their objects, each with the length of its objects' bytes, which follow
 * in the same order. A store read is sliced, not copied: its builds' objects are decoded when
 * served, and written back as they were read, so a run that keeps one build writes the others'
 * bytes unread.
 */
interface Header {
  /** Whose store it is (see encode). */
  owner: string;
  builds: (Omit<StoredBuild, 'resources'> & { bytes: number })[];
}

/** Kept builds' objects above this many bytes (serialised) are left out, the least recently used first. */
const MAX_BYTES = 256 * 1024 * 1024;

/** The first bytes of an encoded store; a file that does not start so is not one (of this version). */
const MAGIC = Buffer.from('capifleet cluster-graph builds v2\n');

/**
 * Builds of the cluster graph by repository, path and shaping spec. Entries come from an encoded
 * store (decode) or are kept this run (keep) and sealed with what their reads show (settle);
 * a build is served (get) only while its reads show what they showed when it was sealed.
 */
export class BuildStore {
  /** Stored builds first, then this run's; a build used or kept is moved to the end (most recently used). */
  private readonly builds = new Map<string, StoredBuild>();
  private changed = false;

  /** The build of `rel` in the repository at `root` with `spec`, when its reads still show what they showed: fresh objects, its reads and warnings. */
  get(root: string, rel: string, spec: JsonObject, observe: ObserveReads): ReusedBuild | undefined {
    const key = buildKey(root, rel, spec);
    const kept = this.builds.get(key);
    if (kept?.observed === undefined || observe(kept.reads) !== kept.observed) return undefined;
    // most recently used last, for encode; the store is written only when a build was kept
    this.builds.delete(key);
    this.builds.set(key, kept);
    const reads = new ReadSet();
    reads.addReads(kept.reads);
    return { resources: decodeResources(kept), reads, warnings: kept.warnings.map((w) => ({ ...w })) };
  }

  /** What the store holds for `rel` at `root` with `spec`, whatever its reads show now: fresh objects and its warnings. */
  kept(root: string, rel: string, spec: JsonObject): { resources: Resource[]; warnings: BuildWarning[] } | undefined {
    const kept = this.builds.get(buildKey(root, rel, spec));
    return kept && { resources: decodeResources(kept), warnings: kept.warnings.map((w) => ({ ...w })) };
  }

  /** The reads of what the store holds for `rel` at `root` with `spec`, and what they showed; for a caller that tells another way whether they show the same. */
  peek(root: string, rel: string, spec: JsonObject): { reads: readonly Read[]; observed: string } | undefined {
    const kept = this.builds.get(buildKey(root, rel, spec));
    return kept?.observed === undefined ? undefined : { reads: kept.reads, observed: kept.observed };
  }

  /**
   * Keeps a successful build as the graph gave it, before substitution (its objects are copied
   * now): served from the next run on, once settle has sealed it with what its reads show.
   */
  keep(root: string, rel: string, spec: JsonObject, build: BuildResult): string {
    const key = buildKey(root, rel, spec);
    const encoded = encodeResources(build.resources);
    const warnings = build.warnings.map((w) => ({ ...w }));
    const digest = encodedDigest(encoded, warnings);
    this.builds.delete(key);
    this.builds.set(key, { key, reads: [...build.reads], observed: undefined, ...encoded, warnings, digest });
    this.changed = true;
    return digest;
  }

  /** What the store holds for `rel` at `root` with `spec` as one hash (see buildDigest), whatever its reads show now. */
  digest(root: string, rel: string, spec: JsonObject): string | undefined {
    const kept = this.builds.get(buildKey(root, rel, spec));
    return kept && (kept.digest ??= encodedDigest(kept, kept.warnings));
  }

  /**
   * Seals the builds kept this run with what their reads show now; one whose reads cannot be told
   * (ObserveReads gave undefined: a path changed while the run read it) is dropped.
   */
  settle(observe: ObserveReads): void {
    for (const [key, build] of this.builds) {
      if (build.observed !== undefined) continue;
      const observed = observe(build.reads);
      if (observed === undefined) this.builds.delete(key);
      else build.observed = observed;
    }
  }

  /** Whether a build was kept since the store was made or decoded. */
  get modified(): boolean {
    return this.changed;
  }

  /**
   * The sealed builds as bytes, marked as `key`'s (a secret of the user's with capifleet's build:
   * a store someone else wrote, or another build of capifleet wrote, is not one to serve, and the
   * mark cannot be made without the secret). The least recently used builds are left out beyond
   * MAX_BYTES.
   */
  encode(key: string): Buffer {
    const kept: StoredBuild[] = [];
    let bytes = 0;
    for (const build of [...this.builds.values()].reverse()) {
      if (build.observed === undefined) continue;
      bytes += build.resources.byteLength;
      if (bytes > MAX_BYTES) break;
      kept.push(build);
    }
    kept.reverse();
    const header: Header = { owner: ownerMark(key), builds: kept.map(({ resources, ...rest }) => ({ ...rest, bytes: resources.byteLength })) };
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    return Buffer.concat([MAGIC, length, json, ...kept.map((b) => b.resources)]);
  }

  /** A store from encode's bytes under the same key; an empty one for bytes that are not that (corrupt, foreign, another version). */
  static decode(bytes: Uint8Array | undefined, key: string): BuildStore {
    const store = new BuildStore();
    const builds = bytes && decodeBuilds(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), key);
    for (const build of builds ?? []) store.builds.set(build.key, build);
    return store;
  }

}

/**
 * What a build gave, as one hash: its objects with their build state (the file and line each was
 * read from), and its warnings. Builds with equal digests gave the same, whatever they read.
 */
export function buildDigest(build: Omit<BuildResult, 'reads'>): string {
  return encodedDigest(encodeResources(build.resources), build.warnings);
}

function encodedDigest({ resources, json }: Pick<StoredBuild, 'resources' | 'json'>, warnings: readonly BuildWarning[]): string {
  return createHash('sha256')
    .update(json ? 'json\0' : 'v8\0')
    .update(resources)
    .update(`\0${JSON.stringify(warnings.map((w) => [w.message, w.file ?? null]))}`)
    .digest('hex');
}

/** What names the build of `rel` in the repository at `root` with `spec`: two builds with the same name and reads that show the same are the same. */
export function buildKey(root: string, rel: string, spec: JsonObject): string {
  const key: JsonValue = [root, rel, buildShapingSpec(spec)];
  return jsonExact(key) ? JSON.stringify(key) : `v8:${sha256(v8.serialize(key))}`;
}

function ownerMark(key: string): string {
  return keyedHash(key, MAGIC);
}

function encodeResources(resources: readonly Pick<Resource, 'obj' | 'state'>[]): Pick<StoredBuild, 'resources' | 'json'> {
  const pairs = resources.map((r): [JsonObject, BuildState] => [r.obj, r.state]);
  const json = pairs.every(([obj, state]) => jsonExact(obj) && jsonExact(state as unknown as JsonObject));
  return { resources: json ? Buffer.from(JSON.stringify(pairs)) : v8.serialize(pairs), json };
}

function decodeResources({ resources, json }: Pick<StoredBuild, 'resources' | 'json'>): Resource[] {
  const bytes = Buffer.from(resources.buffer, resources.byteOffset, resources.byteLength);
  const pairs = (json ? JSON.parse(bytes.toString('utf8')) : v8.deserialize(bytes)) as [JsonObject, BuildState][];
  return pairs.map(([obj, state]) => new Resource(obj, state));
}

function decodeBuilds(bytes: Buffer, key: string): StoredBuild[] | undefined {
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC) || bytes.length < MAGIC.length + 4) return undefined;
  try {
    const start = MAGIC.length + 4;
    let offset = start + bytes.readUInt32LE(MAGIC.length);
    const header = JSON.parse(bytes.toString('utf8', start, offset)) as Partial<Header>;
    if (!isObject(header as JsonValue) || header.owner !== ownerMark(key) || !Array.isArray(header.builds)) return undefined;
    const builds = header.builds.map((b: unknown): unknown => {
      const length = isObject(b as JsonValue) ? (b as { bytes?: unknown }).bytes : undefined;
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) return undefined;
      const { bytes: _, ...rest } = b as Header['builds'][number];
      const build = { ...rest, resources: bytes.subarray(offset, offset + length) };
      offset += length;
      return build;
    });
    // every byte accounted for: a store cut short is none
    return offset === bytes.length && builds.every(wellFormed) ? (builds as StoredBuild[]) : undefined;
  } catch {
    return undefined; // cut short, or not ours
  }
}

function wellFormed(b: unknown): b is StoredBuild {
  if (!isObject(b)) return false;
  const build = b as Partial<StoredBuild>;
  return (
    typeof build.key === 'string' &&
    typeof build.observed === 'string' &&
    Array.isArray(build.reads) &&
    build.resources instanceof Uint8Array &&
    typeof build.json === 'boolean' &&
    Array.isArray(build.warnings) &&
    (build.digest === undefined || typeof build.digest === 'string')
  );
}
