import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { parseDocuments } from '../yaml/parse.js';
import { literalBlockStartsWithTab } from '../yaml/scalar-analysis.js';
import { clone, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import type { Loader } from './loader.js';
import { Resource, emptyBuildState, metadataText, scalarText } from './resource.js';

/**
 * Reads the resources of one manifest file: every non-empty document, with `kind: *List`
 * documents expanded into their items, as kustomize's resource reader does.
 */
export function readResourceFile(loader: Loader, ref: string): Resource[] {
  const file = loader.resolve(ref);
  const bytes = loader.load(ref);
  // a file read once (an overlay's own) is neither kept nor copied; one read again (a shared
  // base's, a component's) is kept from then on and copied for each reader, who may change it
  const docs = loader.fileCache.memoWhenShared(
    `docs:${file}`,
    () => {
      checkBlockScalars(bytes, file);
      return parseDocuments(bytes, file).map(({ value, line }) => ({ value, line }));
    },
    (kept) => kept.map(({ value, line }) => ({ value: clone(value), line })),
  );
  return expandDocuments(docs, file).map(({ obj, line }) => {
    const r = new Resource(obj, emptyBuildState());
    r.state.source = { file, line };
    return r;
  });
}

/** Objects parsed from inline YAML (patches, inline transformer configs) as resources. */
export function resourcesFromDocuments(values: JsonValue[], file: string, line = 1): Resource[] {
  return expandDocuments(values.map((value) => ({ value, line })), file).map(({ obj }) => new Resource(clone(obj)));
}

/**
 * kustomize's reader: empty documents are dropped, and the items of a `kind: *List` document
 * (nested lists expanded in place) are queued behind the file's other documents.
 */
function expandDocuments(docs: readonly { value: JsonValue; line: number }[], file: string): { obj: JsonObject; line: number }[] {
  const direct: { obj: JsonObject; line: number }[] = [];
  const fromLists: { obj: JsonObject; line: number }[] = [];
  for (const { value, line } of docs) {
    const items = listItems(value, file, line);
    if (items) fromLists.push(...items.flatMap((item) => expandInPlace(item, file, line)).map((obj) => ({ obj, line })));
    else direct.push(...expandInPlace(value, file, line).map((obj) => ({ obj, line })));
  }
  return [...direct, ...fromLists];
}

function expandInPlace(value: JsonValue, file: string, line: number): JsonObject[] {
  if (value === null || (isObject(value) && Object.keys(value).length === 0)) return [];
  if (!isObject(value)) throw new BuildError('missing Resource metadata: a document is not a mapping', file, line);
  const items = listItems(value, file, line);
  if (items) return items.flatMap((item) => expandInPlace(item, file, line));
  checkIdentity(value, file, line);
  return [value];
}

/** The items of a `*List` that has an `items` field (null means none); undefined for anything else. */
function listItems(value: JsonValue, file: string, line: number): JsonValue[] | undefined {
  if (!isObject(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List') || !Object.hasOwn(value, 'items')) return undefined;
  const items = value.items;
  if (items === null) return [];
  if (!Array.isArray(items)) {
    const got = isObject(items) ? 'map[string]interface {}' : typeof items === 'string' ? 'string' : typeof items === 'boolean' ? 'bool' : 'float64';
    throw new BuildError(`expected array in ${value.kind}/items, but found ${got}`, file, line);
  }
  return items;
}

function checkIdentity(obj: JsonObject, file: string, line: number): void {
  const kind = scalarText(obj.kind);
  if (kind === '') throw new BuildError('missing kind in object', file, line);
  if (metadataText(obj, 'name') === '') {
    throw new BuildError(`missing metadata.name in ${kind} object`, file, line);
  }
}

/**
 * kustomize prints every resource with go-yaml v3 and reads it back. v3 keeps a block scalar's
 * style but writes no indentation indicator before a first line that starts with a tab, so
 * reading it back fails; kustomize refuses such a file (it can only be written with an explicit
 * indicator, `|2`), and so do we. Only files holding a tab and an indicator are looked at.
 */
function checkBlockScalars(bytes: Buffer, file: string): void {
  if (!bytes.includes(0x09)) return;
  const text = bytes.toString('utf8');
  if (!/[|>][-+]?[1-9]/.test(text)) return;
  const { LineCounter, Scalar, parseAllDocuments, visit } = yamlLibrary();
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (!('contents' in doc)) continue;
    visit(doc, {
      Scalar(key, node) {
        const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
        if (key !== 'key' && block && typeof node.value === 'string' && literalBlockStartsWithTab(node.value)) {
          throw unreadableBack(file, node.range ? lines.linePos(node.range[0]).line : undefined);
        }
      },
    });
  }
}

/**
 * An object kustomize holds in fresh nodes (generated, or read back from JSON after a JSON patch)
 * is printed by go-yaml v3 with every multi-line string as a literal block: one whose first line
 * starts with a tab cannot be read back (see above).
 */
export function checkFreshNodesReadableBack<T extends JsonValue>(v: T): T {
  if (typeof v === 'string') {
    if (literalBlockStartsWithTab(v)) throw unreadableBack();
  } else if (Array.isArray(v)) v.forEach(checkFreshNodesReadableBack);
  else if (isObject(v)) Object.values(v).forEach(checkFreshNodesReadableBack);
  return v;
}

export function unreadableBack(file?: string, line?: number): BuildError {
  return new BuildError(
    'yaml: found a tab character where an indentation space is expected (kustomize cannot read back a multi-line string whose first line starts with a tab)',
    file,
    line,
  );
}
