import { pairByRole } from '../diff/environments.js';
import { KUSTOMIZATION_FILE_NAMES } from '../engine/kustomization.js';
import { deepEqual, getPath, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { yamlLibrary } from '../libraries.js';
import { editBlockScalar, setYamlValue, type YamlPathStep } from '../yaml/edit.js';
import type { TreeCategory } from './categories.js';

/** One overlay of an environment folder, as promote reads it: its name and its YAML files (path relative to the overlay → text). */
export interface OverlayFiles {
  name: string;
  files: ReadonlyMap<string, string>;
  /** The name read as `<cluster>` in the names of its objects (default: its name). */
  placeholder?: string;
}

/** Two overlays whose versions are to be the same, and how notes name the target. */
export interface OverlayPair {
  from: OverlayFiles;
  to: OverlayFiles;
  where: string;
}

/** An environment of a tree without a spec: a folder of overlays (or one overlay), named after the folder. */
export interface OverlayGroup {
  name: string;
  overlays: readonly OverlayFiles[];
}

/** One file promote changes: which overlay, its path in it, the text before and after. */
export interface OverlayEdit {
  overlay: string;
  file: string;
  before: string;
  after: string;
}

export interface TreePromotion {
  edits: OverlayEdit[];
  /** What `from` sets that has nowhere to go in `to`, one line each. */
  notes: string[];
}

interface ImageEntry extends JsonObject {
  name: string;
}

/** The fields of an `images:` entry that a release changes; `newName` (where the image comes from) stays the target's. */
const IMAGE_RELEASE_FIELDS = ['newTag', 'digest'] as const;

/**
 * What `from`'s overlays set, carried into `to`'s: overlays are paired by role (`staging-eu-1`
 * and `prod-eu-1` are both `eu-1`; a lone overlay on each side is a pair), and in each pair
 * - `images`: every entry of `from`'s kustomization `images:` gives `to`'s entry of the same
 *   name its `newTag` and `digest` (exactly: a digest `from` does not pin is dropped); an image
 *   `to` does not list is appended; `to`'s other entries stay. A container's `image:` in the
 *   overlay's files or inline patches gives `to`'s containers of the same image theirs;
 * - `charts`: the chart version a HelmRelease sets (`spec.chart.spec.version`), and where a
 *   HelmRelease on `chartRef` takes its version, an OCIRepository's `spec.ref` tag, semver or
 *   digest and a HelmChart's `spec.version`, go to the object of the same kind and name (the
 *   overlay's own name read as a placeholder) in `to`'s files or inline patches.
 * Versions are read and written wherever the overlay's files set them: in a resource or patch
 * file, in a strategic-merge patch string of its kustomization (`patches[].patch`,
 * `patchesStrategicMerge`) or a JSON 6902 one (`op: replace`, `path: /spec/chart/spec/version`,
 * the object named by its `target`); a patch string is edited as YAML inside its block, keeping
 * its comments. Overlays without a partner, and versions `to` has nowhere, are notes. Pure.
 */
export function promoteOverlays(from: OverlayGroup, to: OverlayGroup, categories: ReadonlySet<TreeCategory>): TreePromotion {
  const single = from.overlays.length === 1 && to.overlays.length === 1;
  const pairs = single ? [{ from: from.overlays[0]!, to: to.overlays[0]! }] : pairByRole(from.overlays, from.name, to.overlays, to.name);
  const notes = pairs.flatMap((p) => (p.from && !p.to ? [`${from.name}/${p.from.name}: no overlay in ${to.name} for it (paired by the name after the environment's)`] : []));
  const paired = pairs.flatMap((p) => (p.from && p.to ? [{ from: p.from, to: p.to, where: `${to.name}/${p.to.name}` }] : []));
  const result = promotePairs(paired, categories);
  return { edits: result.edits, notes: [...notes, ...result.notes] };
}

/** What each pair's `from` sets, carried into its `to`, as promoteOverlays describes. Pure. */
export function promotePairs(pairs: readonly OverlayPair[], categories: ReadonlySet<TreeCategory>): TreePromotion {
  const result: TreePromotion = { edits: [], notes: [] };
  for (const pair of pairs) {
    const edited = new Map<string, string>();
    if (categories.has('images')) carryImages(pair.from, pair.to, edited);
    carryVersions(pair.from, pair.to, categories, edited, result.notes, pair.where);
    for (const [file, after] of [...edited].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const before = pair.to.files.get(file)!;
      if (after !== before) result.edits.push({ overlay: pair.to.name, file, before, after });
    }
  }
  return result;
}

function documents(text: string): (JsonValue | undefined)[] {
  const { parseAllDocuments, Document } = yamlLibrary();
  return parseAllDocuments(text).map((d) => (d instanceof Document && d.errors.length === 0 ? (d.toJSON() as JsonValue) : undefined));
}

function kustomizationFile(overlay: OverlayFiles): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.find((n) => overlay.files.has(n));
}

function imagesOf(text: string | undefined): ImageEntry[] {
  const doc = text === undefined ? undefined : documents(text)[0];
  const images = isObject(doc) ? doc.images : undefined;
  return Array.isArray(images) ? images.filter((e): e is ImageEntry => isObject(e) && typeof e.name === 'string') : [];
}

function carryImages(from: OverlayFiles, to: OverlayFiles, edited: Map<string, string>): void {
  const fromFile = kustomizationFile(from);
  const toFile = kustomizationFile(to);
  if (!fromFile || !toFile) return;
  const source = imagesOf(from.files.get(fromFile));
  if (source.length === 0) return;
  const text = to.files.get(toFile)!;
  const current = imagesOf(text);
  const wanted: JsonValue[] = current.map((entry) => {
    const release = source.find((s) => s.name === entry.name);
    if (!release) return entry;
    const out: JsonObject = { ...entry };
    for (const f of IMAGE_RELEASE_FIELDS) {
      if (release[f] !== undefined) out[f] = release[f]!;
      else delete out[f];
    }
    return out;
  });
  for (const s of source) {
    if (current.some((c) => c.name === s.name)) continue;
    const added: JsonObject = { name: s.name };
    if (s.newName !== undefined) added.newName = s.newName;
    for (const f of IMAGE_RELEASE_FIELDS) if (s[f] !== undefined) added[f] = s[f]!;
    wanted.push(added);
  }
  if (!deepEqual(wanted, current)) edited.set(toFile, setYamlValue(text, 0, ['images'], wanted));
}

/** Where a version is written: a value in a document of a file, or in a document of the string there (an inline patch). */
interface VersionAt {
  file: string;
  document: number;
  path: YamlPathStep[];
  inner?: { document: number; path: YamlPathStep[] };
}

/** A version an overlay's files set, and what it is the version of (`HelmRelease <cluster>-ingress spec.chart.spec.version`, `image ghcr.io/acme/web`). */
interface Version {
  key: string;
  category: TreeCategory;
  value: JsonValue;
  at: VersionAt;
}

/** A field of a kind that holds a release's version, and what `--only` calls it. */
interface VersionField {
  category: TreeCategory;
  field: string[];
}

const chartField = (...field: string[]): VersionField => ({ category: 'charts', field });
const fluxField = (...field: string[]): VersionField => ({ category: 'flux', field });

/**
 * The version fields of the kinds whose versions are a release's: a HelmRelease's chart, and where
 * one on `chartRef` takes its chart (`charts`); the Flux a Flux Operator FluxInstance installs, or
 * the flux-instance chart's values do (`flux`).
 */
const VERSION_FIELDS: Record<string, VersionField[]> = {
  HelmRelease: [chartField('spec', 'chart', 'spec', 'version'), fluxField('spec', 'values', 'instance', 'distribution', 'version')],
  OCIRepository: [chartField('spec', 'ref', 'tag'), chartField('spec', 'ref', 'semver'), chartField('spec', 'ref', 'digest')],
  HelmChart: [chartField('spec', 'version')],
  FluxInstance: [fluxField('spec', 'distribution', 'version')],
};

/** Lists of containers, wherever they are in an object (a Deployment's pod template, a CronJob's job template, …). */
const CONTAINER_LISTS = new Set(['containers', 'initContainers']);

/** `ghcr.io/acme/web:1.2.0@sha256:…` → `ghcr.io/acme/web`: what an image is, whatever its tag or digest. */
function imageName(reference: string): string {
  const bare = reference.split('@')[0]!;
  const colon = bare.lastIndexOf(':');
  return colon > bare.lastIndexOf('/') ? bare.slice(0, colon) : bare;
}

/** The versions an object (a resource or a strategic-merge patch) sets; `name` is its name, the placeholder of the overlay's name read. */
function objectVersions(obj: JsonValue, name: string | undefined, at: (path: YamlPathStep[]) => VersionAt): Version[] {
  if (!isObject(obj)) return [];
  const out: Version[] = [];
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  // a HelmRelease on chartRef has no version of its own: its OCIRepository or HelmChart has it
  const onChartRef = kind === 'HelmRelease' && getPath(obj, ['spec', 'chartRef']) !== undefined;
  if (kind && name !== undefined) {
    for (const { category, field } of VERSION_FIELDS[kind] ?? []) {
      if (onChartRef && category === 'charts') continue;
      const value = getPath(obj, field);
      if (value !== undefined && !isObject(value) && !Array.isArray(value)) out.push({ key: `${kind} ${name} ${field.join('.')}`, category, value, at: at(field) });
    }
  }
  const walk = (v: JsonValue, path: YamlPathStep[]): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    if (!isObject(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (CONTAINER_LISTS.has(k) && Array.isArray(x)) {
        x.forEach((c, i) => {
          if (isObject(c) && typeof c.image === 'string') out.push({ key: `image ${imageName(c.image)}`, category: 'images', value: c.image, at: at([...path, k, i, 'image']) });
        });
      } else walk(x, [...path, k]);
    }
  };
  walk(obj, []);
  return out;
}

/** `/spec/chart/spec/version` → its steps (RFC 6901). */
function pointerSteps(pointer: string): string[] {
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The versions a JSON 6902 patch's operations set in the object its target names. */
function operationVersions(ops: JsonValue[], target: JsonValue | undefined, at: (path: YamlPathStep[]) => VersionAt, role: (name: string) => string): Version[] {
  const kind = getPath(target, ['kind']);
  const name = getPath(target, ['name']);
  const out: Version[] = [];
  ops.forEach((op, i) => {
    if (!isObject(op) || (op.op !== 'replace' && op.op !== 'add') || typeof op.path !== 'string' || op.value === undefined) return;
    const steps = pointerSteps(op.path);
    const version = typeof kind === 'string' ? (VERSION_FIELDS[kind] ?? []).find((f) => f.field.join('/') === steps.join('/')) : undefined;
    if (version && typeof name === 'string' && !isObject(op.value)) {
      out.push({ key: `${String(kind)} ${role(name)} ${version.field.join('.')}`, category: version.category, value: op.value, at: at([i, 'value']) });
    }
    if (steps[steps.length - 1] === 'image' && typeof op.value === 'string') out.push({ key: `image ${imageName(op.value)}`, category: 'images', value: op.value, at: at([i, 'value']) });
  });
  return out;
}

/** Every version an overlay's files set, in its files' order: its resource and patch files, and its kustomization's inline patches. */
function overlayVersions(overlay: OverlayFiles): Version[] {
  const role = (name: string): string => name.split(overlay.placeholder ?? overlay.name).join('<cluster>');
  const nameOf = (obj: JsonValue | undefined, fallback?: JsonValue): string | undefined => {
    const name = getPath(obj, ['metadata', 'name']) ?? fallback;
    return typeof name === 'string' ? role(name) : undefined;
  };
  const out: Version[] = [];
  for (const [file, text] of [...overlay.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!KUSTOMIZATION_FILE_NAMES.includes(file.split('/').pop()!)) {
      documents(text).forEach((doc, document) => out.push(...objectVersions(doc ?? null, nameOf(doc), (path) => ({ file, document, path }))));
      continue;
    }
    const kustomization = documents(text)[0];
    if (!isObject(kustomization)) continue;
    const inline: { path: YamlPathStep[]; patch: JsonValue | undefined; target?: JsonValue }[] = [];
    for (const list of ['patches', 'patchesJson6902'] as const) {
      const entries = kustomization[list];
      if (Array.isArray(entries)) entries.forEach((e, i) => isObject(e) && inline.push({ path: [list, i, 'patch'], patch: e.patch, target: e.target }));
    }
    const merges = kustomization.patchesStrategicMerge;
    if (Array.isArray(merges)) merges.forEach((p, i) => inline.push({ path: ['patchesStrategicMerge', i], patch: p }));
    for (const { path, patch, target } of inline) {
      if (typeof patch !== 'string' || !patch.includes('\n')) continue;
      documents(patch).forEach((doc, document) => {
        const at = (inner: YamlPathStep[]): VersionAt => ({ file, document: 0, path, inner: { document, path: inner } });
        if (Array.isArray(doc)) out.push(...operationVersions(doc, target, at, role));
        else out.push(...objectVersions(doc ?? null, nameOf(doc, getPath(target, ['name'])), at));
      });
    }
  }
  return out;
}

/** The text with the version at `at` made `value`: in the file's YAML, or in the YAML of the inline patch there. */
function writeVersion(text: string, at: VersionAt, value: JsonValue): string | undefined {
  if (!at.inner) return setYamlValue(text, at.document, at.path, value);
  const inner = at.inner;
  return editBlockScalar(text, at.document, at.path, (patch) => setYamlValue(patch, inner.document, inner.path, value));
}

function carryVersions(from: OverlayFiles, to: OverlayFiles, categories: ReadonlySet<TreeCategory>, edited: Map<string, string>, notes: string[], where: string): void {
  const targets = overlayVersions(to).filter((v) => categories.has(v.category));
  const listed = new Set(imagesOf(to.files.get(kustomizationFile(to) ?? '')).map((e) => e.name));
  const carried = new Set<string>();
  for (const source of overlayVersions(from)) {
    if (!categories.has(source.category) || carried.has(source.key)) continue;
    carried.add(source.key);
    const matching = targets.filter((t) => t.key === source.key);
    // an image `to` sets in its `images:` instead is carried there
    if (matching.length === 0 && !(source.category === 'images' && listed.has(source.key.slice('image '.length)))) {
      notes.push(`${where}: no ${source.key.split('<cluster>').join(to.placeholder ?? to.name)} to carry ${String(source.value)} into`);
    }
    for (const target of matching) {
      if (deepEqual(target.value, source.value)) continue;
      const text = edited.get(target.at.file) ?? to.files.get(target.at.file)!;
      const after = writeVersion(text, target.at, source.value);
      if (after === undefined) notes.push(`${where}: ${target.at.file}: the patch holding ${source.key.split('<cluster>').join(to.placeholder ?? to.name)} is not a literal block (|); not edited`);
      else edited.set(target.at.file, after);
    }
  }
}
