import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deepEqual, isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { yamlLibrary } from '../libraries.js';
import { resolvePlain } from './parse.js';

/**
 * Edits of YAML text that keep what a person wrote: comments, blank lines, key order and quoting
 * stay byte for byte; only what is added is written, in the style around it.
 */

/**
 * A value as YAML. A string that a plain scalar would not give back (`0o14` is a number and
 * `2024-01-01` a date to the YAML reader capifleet and kustomize share) is double-quoted.
 */
function valueYaml(value: JsonValue, flow: boolean): string {
  const { Document, Scalar, visit } = yamlLibrary();
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && resolvePlain(node.value).type !== 'str') node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, ...(flow ? { collectionStyle: 'flow', flowCollectionPadding: false } : {}) }).trimEnd();
}

/**
 * The text with one more item at the end of a sequence (the value of `pair`), every other byte
 * kept (comments, blank lines, key order, quoting). The item is written in the sequence's style:
 * a flow list stays flow, `key: []` becomes a block list one step below its key, and a block
 * item lines up with the items before it, after the comments that belong to the last one.
 */
export function appendToSequence(text: string, pair: Pair<Scalar, YAMLSeq>, value: JsonValue): string {
  return applySplices(text, [sequenceAppend(text, pair.value!, value, pair.key)]);
}

/** A change of the text: what lies between `start` and `end` becomes `insert`. */
interface Splice {
  start: number;
  end: number;
  insert: string;
}

/**
 * Applies splices from the end of the text backwards. Insertions at one offset appear in the order
 * they were made: a nested mapping's new keys (made first) before its parent's that follow it.
 */
function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  const order = splices.map((s, i) => ({ s, i })).sort((a, b) => b.s.start - a.s.start || b.i - a.i);
  for (const { s } of order) out = `${out.slice(0, s.start)}${s.insert}${out.slice(s.end)}`;
  return out;
}

/** Appending `value` to a sequence; `key` is the key the sequence is the value of, needed only when it is an empty flow list. */
function sequenceAppend(text: string, seq: YAMLSeq, value: JsonValue, key?: Scalar): Splice {
  const [start, end] = seq.range!;
  if (seq.flow && seq.items.length > 0) {
    const close = text.lastIndexOf(']', end - 1);
    return { start: close, end: close, insert: `, ${valueYaml(value, true)}` };
  }
  const lines = valueYaml(value, false).split('\n');
  if (seq.flow) {
    if (!key) return { start, end, insert: valueYaml([value], true) };
    // `clusters: []  # comment` → `clusters:  # comment` and a block list one step below the key
    const indent = columnAt(text, key.range![0]) + 2;
    const colon = text.lastIndexOf(':', start);
    const lineEnd = endOfLine(text, end);
    return { start: colon + 1, end: lineEnd, insert: `${text.slice(end, lineEnd)}\n${blockItem(lines, indent, indent + 2)}` };
  }
  const first = seq.items[0] as Node;
  const dash = text.lastIndexOf('-', first.range![0] - 1);
  const contentColumn = columnAt(text, first.range![0]);
  const at = afterLastEntry(text, seq, contentColumn);
  return { start: at, end: at, insert: `\n${blockItem(lines, columnAt(text, dash), contentColumn)}${at === text.length ? '\n' : ''}` };
}

/** The end of the line a block collection's last entry ends on, after the comment lines indented like its entries' fields (they are the last entry's). */
function afterLastEntry(text: string, node: Node, contentColumn: number): number {
  let lineEnd = endOfLine(text, contentEnd(node));
  for (let next = lineEnd + 1; next < text.length; next = lineEnd + 1) {
    const comment = /^( *)#/.exec(text.slice(next, endOfLine(text, next)));
    if (!comment || comment[1]!.length < contentColumn) break;
    lineEnd = endOfLine(text, next);
  }
  return lineEnd;
}

/** A step into a YAML document: a mapping key, a sequence index. */
export type YamlPathStep = string | number;

/**
 * The text with the value at `path` in its `documentIndex`-th YAML document made `value`
 * (`undefined` removes it), touching only what differs: mappings are reconciled key by key,
 * lists whose entries all have distinct `name`s entry by entry (by name), and a scalar that
 * changes is rewritten in its own quoting style. Keys the path needs and the document lacks are
 * added. Comments, blank lines, key order and the style of everything left alone stay byte for
 * byte; what is added follows the style around it (flow or block, indentation).
 */
export function setYamlValue(text: string, documentIndex: number, path: readonly YamlPathStep[], value: JsonValue | undefined): string {
  const { parseAllDocuments, isMap, isSeq } = yamlLibrary();
  const doc = parseAllDocuments(text)[documentIndex] as Document | undefined;
  if (!doc?.contents) throw new Error(`no YAML document ${documentIndex} to edit`);
  const splices: Splice[] = [];
  let node = doc.contents as Node;
  if (path.length === 0) {
    if (value === undefined) throw new Error('cannot remove a whole YAML document');
    reconcile(text, node, value, splices);
  }
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    if (typeof step === 'number') {
      if (!isSeq(node) || !node.items[step]) throw new Error(`no list entry ${step} at ${path.slice(0, i).join('.')}`);
      if (last) {
        if (value === undefined) splices.push(removeEntry(text, node, step));
        else reconcile(text, node.items[step] as Node, value, splices);
        break;
      }
      node = node.items[step] as Node;
      continue;
    }
    if (!isMap(node)) throw new Error(`not a mapping at ${path.slice(0, i).join('.')}`);
    const index = node.items.findIndex((p) => keyText(p) === step);
    if (index < 0) {
      if (value !== undefined) splices.push(addPairs(text, node, [[step, nested(path.slice(i + 1) as string[], value)]]));
      break;
    }
    const pair = node.items[index]!;
    if (last) {
      if (value === undefined) splices.push(removeEntry(text, node, index));
      else if (pair.value) reconcile(text, pair.value as Node, value, splices);
      else splices.push(addValue(text, pair as Pair<Scalar, null>, value));
      break;
    }
    if (!pair.value) {
      if (value !== undefined) splices.push(addValue(text, pair as Pair<Scalar, null>, nested(path.slice(i + 1) as string[], value)));
      break;
    }
    node = pair.value as Node;
  }
  return applySplices(text, splices);
}

/**
 * The text with the string at `path` of its `documentIndex`-th document changed by `edit`, when
 * that string is a literal block scalar (`patch: |`, a kustomization's inline patch): `edit` gets
 * the string and returns it changed, and only the lines of the block that changed are rewritten,
 * at the block's indentation; every other byte of the file stays. Undefined when the value there
 * is not a literal block scalar (a folded or quoted string's lines are not the string's lines).
 */
export function editBlockScalar(text: string, documentIndex: number, path: readonly YamlPathStep[], edit: (value: string) => string): string | undefined {
  const { parseAllDocuments, isScalar, Scalar } = yamlLibrary();
  const doc = parseAllDocuments(text)[documentIndex] as Document | undefined;
  const node = doc?.getIn(path, true);
  if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL || typeof node.value !== 'string' || !node.range) return undefined;
  const before = node.value;
  const after = edit(before);
  if (after === before) return text;
  const start = endOfLine(text, node.range[0]) + 1;
  // the block's lines end as the file's do; the string's with \n
  const eol = text.slice(start, node.range[1]).includes('\r\n') ? '\r\n' : '\n';
  const block = text.slice(start, node.range[1]).split(eol);
  const lines = before.split('\n');
  // each line of the string is a line of the block with the block's indentation in front
  const first = lines.findIndex((l) => l.trim() !== '');
  const indent = first < 0 ? '' : block[first]!.slice(0, block[first]!.length - lines[first]!.length);
  const changed = after.split('\n');
  let head = 0;
  while (head < lines.length && head < changed.length && lines[head] === changed[head]) head++;
  let tail = 0;
  while (tail < lines.length - head && tail < changed.length - head && lines[lines.length - 1 - tail] === changed[changed.length - 1 - tail]) tail++;
  // lines read otherwise than so (an escape the reader resolved, say) are not rewritten
  const readsAs = (blockLine: string | undefined, line: string): boolean => (line === '' ? blockLine?.trim() === '' : blockLine === `${indent}${line}`);
  if (lines.slice(head, lines.length - tail).some((line, i) => !readsAs(block[head + i], line))) return undefined;
  const from = start + block.slice(0, head).reduce((n, l) => n + l.length + eol.length, 0);
  const to = start + block.slice(0, lines.length - tail).reduce((n, l) => n + l.length + eol.length, 0);
  const insert = changed.slice(head, changed.length - tail).map((l) => (l === '' ? eol : `${indent}${l}${eol}`)).join('');
  return applySplices(text, [{ start: from, end: to, insert }]);
}

/** `{a: {b: value}}` for the path `a.b`. */
function nested(path: readonly string[], value: JsonValue): JsonValue {
  return path.reduceRight<JsonValue>((v, key) => ({ [key]: v }), value);
}

function keyText(pair: Pair): string | undefined {
  const { isScalar } = yamlLibrary();
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** Entries with distinct names, matched by name rather than by position. */
function namedEntries(values: readonly unknown[]): string[] | undefined {
  const names = values.map((v) => (isObject(v) && typeof v.name === 'string' ? v.name : undefined));
  return names.every((n): n is string => n !== undefined) && new Set(names).size === names.length ? names : undefined;
}

/** Splices turning `node` into `value`, as setYamlValue describes. */
function reconcile(text: string, node: Node, value: JsonValue, splices: Splice[]): void {
  const { isMap, isSeq } = yamlLibrary();
  const current = node.toJSON() as JsonValue;
  if (deepEqual(current, value)) return;
  if (isMap(node) && isObject(value) && node.items.length > 0 && Object.keys(value).length > 0) {
    const added: [string, JsonValue][] = [];
    const present = new Set<string>();
    node.items.forEach((pair, i) => {
      const key = keyText(pair);
      if (key === undefined) return;
      present.add(key);
      if (!Object.prototype.hasOwnProperty.call(value, key)) splices.push(removeEntry(text, node, i));
      else if (pair.value) reconcile(text, pair.value as Node, value[key]!, splices);
      else splices.push(addValue(text, pair as Pair<Scalar, null>, value[key]!));
    });
    for (const key of Object.keys(value)) if (!present.has(key)) added.push([key, value[key]!]);
    if (added.length) splices.push(addPairs(text, node, added));
    return;
  }
  const before = Array.isArray(current) ? namedEntries(current) : undefined;
  const after = Array.isArray(value) ? namedEntries(value) : undefined;
  if (isSeq(node) && before && after && before.length > 0) {
    const entries = value as JsonValue[];
    before.forEach((name, i) => {
      const j = after.indexOf(name);
      if (j < 0) splices.push(removeEntry(text, node, i));
      else reconcile(text, node.items[i] as Node, entries[j]!, splices);
    });
    for (const [j, name] of after.entries()) if (!before.includes(name)) splices.push(sequenceAppend(text, node, entries[j]!));
    return;
  }
  splices.push(replaceNode(text, node, value));
}

/** The node's text replaced by the value: a scalar in its quoting style, a block collection as block YAML at its column, anything else in flow style. */
function replaceNode(text: string, node: Node, value: JsonValue): Splice {
  const { isScalar, isCollection, Scalar } = yamlLibrary();
  const [start, end] = node.range!;
  if (isScalar(node) && typeof value === 'string' && node.type === Scalar.QUOTE_DOUBLE) return { start, end, insert: JSON.stringify(value) };
  if (isScalar(node) && typeof value === 'string' && node.type === Scalar.QUOTE_SINGLE) return { start, end, insert: `'${value.replace(/'/g, "''")}'` };
  if (isCollection(node) && !node.flow && isObject(value) !== Array.isArray(value)) {
    const column = columnAt(text, start);
    const lines = valueYaml(value, false).split('\n');
    return { start, end: contentEnd(node), insert: lines.map((l, i) => (i === 0 ? l : `${' '.repeat(column)}${l}`)).join('\n') };
  }
  return { start, end, insert: valueYaml(value, true) };
}

/** A value for a key written without one (`key:`), in flow style after the colon. */
function addValue(text: string, pair: Pair<Scalar, null>, value: JsonValue): Splice {
  const at = pair.key.range![1];
  const colon = text.indexOf(':', at);
  return { start: colon + 1, end: colon + 1, insert: ` ${valueYaml(value, true)}` };
}

/** New keys at the end of a mapping: after its last entry in a flow mapping, on lines of their own lined up with its keys in a block one. */
function addPairs(text: string, map: YAMLMap, pairs: readonly [string, JsonValue][]): Splice {
  const entries = Object.fromEntries(pairs) as JsonObject;
  if (map.flow || map.items.length === 0) {
    const [start, end] = map.range!;
    const written = valueYaml(entries, true).slice(1, -1);
    if (map.items.length === 0) {
      const open = text.indexOf('{', start);
      if (open < 0 || open >= end) return { start, end, insert: valueYaml(entries, true) };
      return { start: open + 1, end: open + 1, insert: written };
    }
    const last = map.items[map.items.length - 1]!;
    const at = ((last.value ?? last.key) as Node).range![1];
    return { start: at, end: at, insert: `, ${written}` };
  }
  const column = columnAt(text, (map.items[0]!.key as Node).range![0]);
  const at = afterLastEntry(text, map, column);
  const lines = valueYaml(entries, false).split('\n');
  return { start: at, end: at, insert: `\n${lines.map((l) => `${' '.repeat(column)}${l}`).join('\n')}${at === text.length ? '\n' : ''}` };
}

/** Removing the `index`-th entry of a mapping or sequence, with its line(s) in a block collection. */
function removeEntry(text: string, collection: YAMLMap | YAMLSeq, index: number): Splice {
  const { isPair } = yamlLibrary();
  const items = collection.items as unknown[];
  const startOf = (item: unknown): number => (isPair(item) ? (item.key as Node) : (item as Node)).range![0];
  const endOf = (item: unknown): number => contentEnd((isPair(item) ? (item.value ?? item.key) : item) as Node);
  const item = items[index];
  if (items.length === 1) {
    const [start, end] = collection.range!;
    return { start, end: collection.flow ? end : contentEnd(collection), insert: Array.isArray(collection.toJSON()) ? '[]' : '{}' };
  }
  if (collection.flow) {
    return index > 0 ? { start: endOf(items[index - 1]), end: endOf(item), insert: '' } : { start: startOf(item), end: startOf(items[1]), insert: '' };
  }
  let start = startOf(item);
  if (!isPair(item)) start = text.lastIndexOf('-', start - 1);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  // the first key of a list entry shares its line with the dash: the next key takes its place
  if (text.slice(lineStart, start).trim() !== '') return { start, end: startOf(items[index + 1]), insert: '' };
  return { start: lineStart, end: Math.min(text.length, endOfLine(text, endOf(item)) + 1), insert: '' };
}

/** Where a block collection's last value ends: comments and blank lines after it belong to what follows. */
function contentEnd(node: Node): number {
  const { isCollection, isPair } = yamlLibrary();
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const value = isPair(last) ? (last.value ?? last.key) : last;
    return contentEnd(value as Node);
  }
  return node.range![1];
}

/** A block list item: `-` at dashColumn, the entry's lines at contentColumn. */
function blockItem(lines: readonly string[], dashColumn: number, contentColumn: number): string {
  return lines
    .map((line, i) => (i === 0 ? `${' '.repeat(dashColumn)}-${' '.repeat(contentColumn - dashColumn - 1)}${line}` : `${' '.repeat(contentColumn)}${line}`))
    .join('\n');
}

/** The offset of the line break ending the line at offset (the text's length when it has none). */
function endOfLine(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The 1-based line of an offset, for messages. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
