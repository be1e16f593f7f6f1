import { pairByRole } from '../diff/environments.js';
import { KUSTOMIZATION_FILE_NAMES } from '../engine/kustomization.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { yamlLibrary } from '../libraries.js';
import { setYamlValue } from '../yaml/edit.js';
import type { TreeCategory } from './categories.js';

/** One overlay of an environment folder, as promote reads it: its name and its YAML files (path relative to the overlay → text). */
export interface OverlayFiles {
  name: string;
  files: ReadonlyMap<string, string>;
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
 *   `to` does not list is appended; `to`'s other entries stay;
 * - `charts`: every HelmRelease in `to`'s files gets the chart version the HelmRelease of the
 *   same name (the overlay's own name read as a placeholder) in `from`'s files sets.
 * Overlays without a partner, and HelmReleases `to` does not have, are notes. Pure.
 */
export function promoteOverlays(from: OverlayGroup, to: OverlayGroup, categories: ReadonlySet<TreeCategory>): TreePromotion {
  const single = from.overlays.length === 1 && to.overlays.length === 1;
  const pairs = single ? [{ from: from.overlays[0]!, to: to.overlays[0]! }] : pairByRole(from.overlays, from.name, to.overlays, to.name);
  const result: TreePromotion = { edits: [], notes: [] };
  for (const pair of pairs) {
    if (!pair.from || !pair.to) {
      if (pair.from) result.notes.push(`${from.name}/${pair.from.name}: no overlay in ${to.name} for it (paired by the name after the environment's)`);
      continue;
    }
    const edited = new Map<string, string>();
    if (categories.has('images')) carryImages(pair.from, pair.to, edited);
    if (categories.has('charts')) carryChartVersions(pair.from, pair.to, edited, result.notes, `${to.name}/${pair.to.name}`);
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

interface HelmReleaseAt {
  file: string;
  document: number;
  role: string;
  version?: JsonValue;
}

/** Every HelmRelease in an overlay's files (its kustomization aside), named by its role: its name with the overlay's name read as `<cluster>`. */
function helmReleases(overlay: OverlayFiles): HelmReleaseAt[] {
  const out: HelmReleaseAt[] = [];
  for (const [file, text] of overlay.files) {
    if (KUSTOMIZATION_FILE_NAMES.includes(file.split('/').pop()!) || !/^\s*kind:\s*HelmRelease\s*$/m.test(text)) continue;
    documents(text).forEach((doc, document) => {
      if (!isObject(doc) || doc.kind !== 'HelmRelease' || !isObject(doc.metadata) || typeof doc.metadata.name !== 'string') return;
      const chart = isObject(doc.spec) && isObject(doc.spec.chart) && isObject(doc.spec.chart.spec) ? doc.spec.chart.spec : undefined;
      // a chart from an OCIRepository or HelmChart (`chartRef`) has no version to write
      if (isObject(doc.spec) && doc.spec.chartRef !== undefined) return;
      const role = doc.metadata.name.split(overlay.name).join('<cluster>');
      out.push({ file, document, role, ...(chart?.version !== undefined ? { version: chart.version } : {}) });
    });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.document - b.document));
}

function carryChartVersions(from: OverlayFiles, to: OverlayFiles, edited: Map<string, string>, notes: string[], where: string): void {
  const targets = helmReleases(to);
  for (const source of helmReleases(from)) {
    if (source.version === undefined) continue;
    const matching = targets.filter((t) => t.role === source.role);
    if (matching.length === 0) notes.push(`${where}: no HelmRelease ${source.role.split('<cluster>').join(to.name)} to carry chart version ${String(source.version)} into`);
    for (const target of matching) {
      if (deepEqual(target.version, source.version)) continue;
      const text = edited.get(target.file) ?? to.files.get(target.file)!;
      edited.set(target.file, setYamlValue(text, target.document, ['spec', 'chart', 'spec', 'version'], source.version));
    }
  }
}

