import { hasKey, markWrittenEmpty, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import type { ParsedDocument } from './parse.js';
import { joinPointer } from '../json/pointer.js';
import { resolvePlain } from './parse.js';

/** How plain scalars read: a value's value, and whether a key reads as the text it is (other keys are the full reader's). */
export interface PlainScalars {
  value(text: string): JsonValue;
  isTextKey(text: string): boolean;
}

/** go-yaml v3's plain scalars, as kustomize reads resources and patches (see resolvePlain). */
export const GO_YAML_V3_PLAIN: PlainScalars = {
  value: (text) => resolvePlain(text).value,
  isTextKey: (text) => resolvePlain(text).type === 'str',
};

/**
 * A fast reader for the YAML that rendered manifests are almost always written in: block
 * mappings and sequences, one-line plain and quoted scalars, `|` / `|-` literal scalars,
 * comments and `---` separators. It gives exactly what the full reader gives (values, start
 * lines and each node's line) or, at the first thing outside that subset — flow collections,
 * anchors, tags, multi-line scalars, odd indentation, duplicate keys, any syntax error — gives
 * up, and the full reader reads the whole text (and reports its errors). Line maps are built
 * only when asked for, by reading the document again.
 */
export function parseBlockSubset(src: string, plain: PlainScalars = GO_YAML_V3_PLAIN): ParsedDocument[] | undefined {
  if (UNSUPPORTED_CHARS.test(src)) return undefined;
  const rows = src.split('\n');
  // line maps split the text again when first asked for: keeping every row alive until then
  // would leave hundreds of thousands of small strings for the garbage collector to trace
  let rowsAgain: string[] | undefined;
  const laterRows = (): string[] => (rowsAgain ??= src.split('\n'));
  try {
    const docs: ParsedDocument[] = [];
    let start = 0;
    for (let i = 0; i <= rows.length; i++) {
      if (i < rows.length && !isMarkerRow(rows[i]!)) continue;
      const doc = readDocument(rows, laterRows, start, i, start > 0, plain);
      if (doc) docs.push(doc);
      start = i + 1;
    }
    return docs.length > 0 ? docs : undefined;
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/** Tabs, CR, BOM, YAML 1.1-only breaks and control characters: the full reader knows their rules. */
const UNSUPPORTED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

/** Thrown when the text leaves the subset; caught at the top. */
const OUTSIDE: unique symbol = Symbol('outside the block subset');

/** Deeper nesting is left to the full reader, which knows go-yaml's limit. */
const MAX_SUBSET_DEPTH = 500;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;

/** `---` starts a document; `--- text`, `...` and directives are left to the full reader. */
function isMarkerRow(row: string): boolean {
  if (row.charCodeAt(0) === 0x25) throw OUTSIDE; // %
  if (!(row.startsWith('---') || row.startsWith('...'))) return false;
  if (row.length > 3 && row.charCodeAt(3) !== SPACE) return false;
  if (row !== '---') throw OUTSIDE;
  return true;
}

/** The document in rows [start, end); none when they hold no content and no `---` opened them. */
function readDocument(
  rows: readonly string[],
  laterRows: () => readonly string[],
  start: number,
  end: number,
  opened: boolean,
  plain: PlainScalars,
): ParsedDocument | undefined {
  const first = nextContent(rows, start, end);
  if (first === end) {
    if (opened) throw OUTSIDE; // empty documents: the full reader knows their lines
    return undefined;
  }
  const value = new BlockReader(rows, end, plain).document(first, undefined);
  let lines: Map<string, number> | undefined;
  return {
    value,
    line: first + 1,
    get lines(): Map<string, number> {
      if (!lines) {
        lines = new Map();
        new BlockReader(laterRows(), end, plain).document(first, lines);
      }
      return lines;
    },
  };
}

function indentOf(row: string): number {
  let i = 0;
  while (row.charCodeAt(i) === SPACE) i++;
  return i;
}

/** The first row at or after `i` with something other than spaces or a comment. */
function nextContent(rows: readonly string[], i: number, end: number): number {
  for (; i < end; i++) {
    const row = rows[i]!;
    const c = indentOf(row);
    if (c < row.length && row.charCodeAt(c) !== HASH) return i;
  }
  return end;
}

function isSeqItem(row: string, col: number): boolean {
  return row.charCodeAt(col) === DASH && (col + 1 === row.length || row.charCodeAt(col + 1) === SPACE);
}

/** Characters that start something other than a plain scalar (or a plain scalar the subset leaves out). */
function isIndicator(c: number): boolean {
  return c === 0x2d || c === 0x3f || c === 0x3a || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d ||
    c === 0x23 || c === 0x26 || c === 0x2a || c === 0x21 || c === 0x7c || c === 0x3e || c === 0x27 || c === 0x22 ||
    c === 0x25 || c === 0x40 || c === 0x60;
}

/** Index of the `:` ending a plain key that starts at `col`, or -1 when the row holds no such key. */
function keyEnd(row: string, col: number): number {
  if (isIndicator(row.charCodeAt(col))) return -1;
  let i = row.indexOf(':', col);
  while (i >= 0 && i + 1 < row.length && row.charCodeAt(i + 1) !== SPACE) i = row.indexOf(':', i + 1);
  return i;
}

/** Nothing but spaces, or spaces and a comment, from `i` on. */
function restIsBlank(row: string, i: number): boolean {
  const from = i;
  while (row.charCodeAt(i) === SPACE) i++;
  return i === row.length || (row.charCodeAt(i) === HASH && i > from);
}

/**
 * Reads one document's rows. Each node reader starts at a row and column and leaves `next` at
 * the first content row after the node.
 */
class BlockReader {
  private next = 0;

  constructor(
    private readonly rows: readonly string[],
    private readonly end: number,
    private readonly plain: PlainScalars,
  ) {}

  document(first: number, lines: Map<string, number> | undefined): JsonValue {
    lines?.set('', first + 1);
    const value = this.collection(first, indentOf(this.rows[first]!), '', 0, lines);
    if (this.next !== this.end) throw OUTSIDE;
    return value;
  }

  private collection(row: number, col: number, pointer: string, depth: number, lines: Map<string, number> | undefined): JsonValue {
    if (depth > MAX_SUBSET_DEPTH) throw OUTSIDE;
    const text = this.rows[row]!;
    if (isSeqItem(text, col)) return this.sequence(row, col, pointer, depth, lines);
    if (keyEnd(text, col) >= 0) return this.mapping(row, col, pointer, depth, lines);
    throw OUTSIDE;
  }

  private mapping(row: number, col: number, pointer: string, depth: number, lines: Map<string, number> | undefined): JsonObject {
    const out: JsonObject = {};
    for (let r = row; ; ) {
      const text = this.rows[r]!;
      const colon = keyEnd(text, col);
      if (colon <= col) throw OUTSIDE;
      const key = text.slice(col, colon);
      if (key.length > 1000 || key.charCodeAt(key.length - 1) === SPACE || key.includes(' #')) throw OUTSIDE;
      if (hasKey(out, key) || !this.plain.isTextKey(key)) throw OUTSIDE;
      const childPointer = lines ? joinPointer(pointer, key) : '';
      lines?.set(childPointer, r + 1);
      const value = this.entryValue(r, colon + 1, col, childPointer, depth + 1, lines);
      setKey(out, key, value);
      if (value === null && restIsBlank(text, colon + 1)) markWrittenEmpty(out, key);
      r = this.next;
      if (r === this.end) return out;
      const indent = indentOf(this.rows[r]!);
      if (indent < col) return out;
      if (indent > col) throw OUTSIDE;
    }
  }

  /** A mapping entry's value: on the key's row, or below it (a sequence may sit at the key's own indentation). */
  private entryValue(row: number, from: number, col: number, pointer: string, depth: number, lines: Map<string, number> | undefined): JsonValue {
    const text = this.rows[row]!;
    if (!restIsBlank(text, from)) {
      let i = from;
      while (text.charCodeAt(i) === SPACE) i++;
      return this.inline(row, i, col);
    }
    const below = nextContent(this.rows, row + 1, this.end);
    if (below < this.end) {
      const indent = indentOf(this.rows[below]!);
      if (indent > col || (indent === col && isSeqItem(this.rows[below]!, col))) return this.collection(below, indent, pointer, depth, lines);
    }
    this.next = below;
    return null;
  }

  private sequence(row: number, col: number, pointer: string, depth: number, lines: Map<string, number> | undefined): JsonValue[] {
    const out: JsonValue[] = [];
    for (let r = row; ; ) {
      const text = this.rows[r]!;
      let i = col + 1;
      while (text.charCodeAt(i) === SPACE) i++;
      if (restIsBlank(text, i)) throw OUTSIDE; // an item on the rows below, or an empty one
      const itemPointer = lines ? `${pointer}/${out.length}` : '';
      lines?.set(itemPointer, r + 1);
      if (isSeqItem(text, i) || keyEnd(text, i) >= 0) out.push(this.collection(r, i, itemPointer, depth + 1, lines));
      else out.push(this.inline(r, i, col));
      r = this.next;
      if (r === this.end) return out;
      const indent = indentOf(this.rows[r]!);
      if (indent < col) return out;
      if (indent > col) throw OUTSIDE;
      if (!isSeqItem(this.rows[r]!, col)) return out;
    }
  }

  /** A value written on the row itself, from column `i`; `col` is the enclosing collection's indentation. */
  private inline(row: number, i: number, col: number): JsonValue {
    const text = this.rows[row]!;
    const c = text.charCodeAt(i);
    if (c === 0x7c) return this.literal(row, i, col); // |
    let value: JsonValue;
    if (c === 0x27) value = singleQuoted(text, i); // '
    else if (c === 0x22) value = doubleQuoted(text, i); // "
    else if (c === 0x7b || c === 0x5b) value = emptyFlow(text, i); // { [
    else {
      if (isIndicator(c) && !(c === DASH && i + 1 < text.length && text.charCodeAt(i + 1) !== SPACE)) throw OUTSIDE;
      const comment = text.indexOf(' #', i);
      let stop = comment < 0 ? text.length : comment;
      while (text.charCodeAt(stop - 1) === SPACE) stop--;
      const written = text.slice(i, stop);
      if (written.includes(': ') || written.charCodeAt(written.length - 1) === COLON) throw OUTSIDE;
      value = this.plain.value(written);
    }
    // a more indented row below would continue the scalar (or be an error): the full reader's job
    let below = row + 1;
    while (below < this.end && indentOf(this.rows[below]!) === this.rows[below]!.length) below++;
    if (below < this.end && indentOf(this.rows[below]!) > col) throw OUTSIDE;
    this.next = nextContent(this.rows, below, this.end);
    return value;
  }

  /** `|` or `|-`: the rows more indented than the collection, verbatim; clip keeps one final newline. */
  private literal(row: number, i: number, col: number): string {
    const header = this.rows[row]!;
    const strip = header.charCodeAt(i + 1) === DASH;
    if (!restIsBlank(header, strip ? i + 2 : i + 1)) throw OUTSIDE;
    const first = row + 1;
    if (first >= this.end) throw OUTSIDE;
    const indent = indentOf(this.rows[first]!);
    if (indent === this.rows[first]!.length || indent <= col) throw OUTSIDE; // leading blank or empty scalar
    const parts: string[] = [];
    let r = first;
    for (; r < this.end; r++) {
      const text = this.rows[r]!;
      const c = indentOf(text);
      if (c === text.length) {
        if (c > indent) throw OUTSIDE;
        parts.push('');
      } else if (c < indent) break;
      else parts.push(text.slice(indent));
    }
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    // the last content row of a text without a final newline: chomping differs there
    if (first + parts.length >= this.rows.length) throw OUTSIDE;
    this.next = nextContent(this.rows, r, this.end);
    return strip ? parts.join('\n') : `${parts.join('\n')}\n`;
  }
}

function singleQuoted(text: string, i: number): string {
  let j = i + 1;
  for (;;) {
    const k = text.indexOf("'", j);
    if (k < 0) throw OUTSIDE; // continues on the next row
    if (text.charCodeAt(k + 1) === 0x27) {
      j = k + 2;
      continue;
    }
    if (!restIsBlank(text, k + 1)) throw OUTSIDE;
    return text.slice(i + 1, k).replaceAll("''", "'");
  }
}

function doubleQuoted(text: string, i: number): string {
  const k = text.indexOf('"', i + 1);
  if (k < 0 || !restIsBlank(text, k + 1)) throw OUTSIDE;
  const value = text.slice(i + 1, k);
  if (value.includes('\\')) throw OUTSIDE; // escapes
  return value;
}

/** `{}` or `[]`; any other flow collection is the full reader's. */
function emptyFlow(text: string, i: number): JsonValue {
  const open = text.charCodeAt(i);
  const close = text.charCodeAt(i + 1);
  if (open === 0x7b && close === 0x7d && restIsBlank(text, i + 2)) return {};
  if (open === 0x5b && close === 0x5d && restIsBlank(text, i + 2)) return [];
  throw OUTSIDE;
}
