import type { Node, Scalar } from 'yaml';
import { BuildError } from '../errors.js';
import { setKey, hasKey, markWrittenEmpty, type JsonObject, type JsonValue } from '../json/value.js';
import { yamlLibrary } from '../libraries.js';
import { parseBlockSubset } from './block-subset.js';
import { foldedAfterRoundTrip } from './kyaml-roundtrip.js';
import {
  aliasBomb,
  checkCharacters,
  checkDecoding,
  checkDirective,
  checkBlockDepth,
  checkFlowDepth,
  checkScannerRules,
  countLineBreaks,
  isStackOverflow,
  lineFeedsOnly,
  MAX_DEPTH,
  nestedTooDeep,
} from './go-yaml-rules.js';
import { resolveNumber, timestampToRfc3339 } from './scalar-resolve.js';
import { joinPointer } from '../json/pointer.js';

/** One YAML document of a file, with where its parts start. */
export interface ParsedDocument {
  /** null for an empty document (nothing, only comments, or an explicit null). */
  value: JsonValue;
  /** 1-based line where the document's content starts. */
  line: number;
  /**
   * 1-based line of each node, by JSON pointer (RFC 6901, e.g. `/spec/containers/0/image`;
   * `` for the root). For a mapping entry it is the line of its key.
   */
  lines: Map<string, number>;
}

/**
 * Parses a multi-document YAML file as kustomize reads it: go-yaml v3 syntax, and values as
 * they come out of kustomize's JSON conversion (see resolveScalar). Every problem is a
 * BuildError naming the file and line. Plain block YAML takes a fast path that gives the same.
 */
export function parseDocuments(text: string | Buffer, file: string): ParsedDocument[] {
  const src = lineFeedsOnly(decodeUtf8(text, file));
  return parseBlockSubset(src) ?? parseAnyYaml(src, file);
}

/** The full reader: any YAML go-yaml v3 reads, and its errors. */
export function parseAnyYaml(src: string, file: string): ParsedDocument[] {
  checkFlowDepth(src, file);
  checkCharacters(src, file);
  const { LineCounter, parseAllDocuments } = yamlLibrary();
  const out: ParsedDocument[] = [];
  for (const piece of splitDocuments(src, file)) {
    checkDirective(piece.text, file, true, piece.line);
    const lineCounter = new LineCounter();
    // go-yaml decodes the first document of each piece; anything after its `...` is never read
    const doc = parseAllDocuments(piece.text, { lineCounter, ...YAML_OPTIONS })[0];
    const lineOf = (offset: number) => piece.line - 1 + lineCounter.linePos(offset).line;
    const error = doc?.errors[0];
    if (error) {
      if (isStackOverflow(error)) throw nestedTooDeep(file, lineOf(error.pos[0]));
      throw new BuildError(`invalid YAML: ${firstLine(error.message)}`, file, lineOf(error.pos[0]));
    }
    checkScannerRules(doc, piece.text, lineOf, file);
    checkBlockDepth(doc, piece.text, lineOf, file, false);
    if (!doc) continue;
    checkDecoding(doc, lineOf, file, aliasBomb);
    const contents = doc.contents as Node | null;
    const line = contents?.range ? lineOf(contents.range[0]) : lineOf(doc.range[0]);
    const lines = new Map<string, number>();
    const value = contents ? new DocumentReader(file, piece.text, lineOf, lines).read(contents) : null;
    out.push({ value, line, lines });
  }
  return out;
}

/** A line starting with `---`, with the line breaks around it. */
const SEPARATOR = /\n---[^\n]*\n/g;

/**
 * kustomize's resource reader (kyaml's ByteReader) splits the text at every line that starts
 * with `---` itself, before go-yaml sees it: such a line must hold
 * nothing else but a comment, and each piece but the last ends with a line break.
 */
function splitDocuments(src: string, file: string): { text: string; line: number }[] {
  const pieces: { text: string; line: number }[] = [];
  let start = 0;
  let line = 1;
  for (const m of src.matchAll(SEPARATOR)) {
    const after = m[0].slice(4).trim();
    const piece = src.slice(start, m.index);
    const separatorLine = line + countLineBreaks(piece) + 1;
    if (after !== '' && !after.startsWith('#')) throw new BuildError(`invalid document separator: ${m[0].trim()}`, file, separatorLine);
    pieces.push({ text: `${piece}\n`, line });
    start = m.index + m[0].length;
    line = separatorLine + 1;
  }
  pieces.push({ text: src.slice(start), line });
  return pieces;
}

const YAML_OPTIONS = { schema: 'failsafe', uniqueKeys: false, strict: true, prettyErrors: false, resolveKnownTags: false } as const;

/** Parses text that must hold exactly one YAML (or JSON) document, such as an inline patch. */
export function parseSingleDocument(text: string, file: string): JsonValue {
  const docs = parseDocuments(text, file);
  if (docs.length !== 1) throw new BuildError(`expected one YAML document, found ${docs.length}`, file);
  return docs[0]!.value;
}

export function decodeUtf8(text: string | Buffer, file: string): string {
  if (typeof text === 'string') return text;
  // go-yaml's reader takes UTF-16 when a byte-order mark says so
  const utf16 = text[0] === 0xff && text[1] === 0xfe ? 'utf-16le' : text[0] === 0xfe && text[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    try {
      return new TextDecoder(utf16, { fatal: true }).decode(text);
    } catch {
      throw new BuildError('invalid YAML: not valid UTF-16', file);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(text);
  } catch {
    const offset = firstInvalidUtf8(text);
    const line = text.subarray(0, offset).toString('latin1').split('\n').length;
    throw new BuildError('invalid YAML: not valid UTF-8', file, line);
  }
}

function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(buf.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

const STR_TAG = 'tag:yaml.org,2002:str';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const NULL_TAG = 'tag:yaml.org,2002:null';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BINARY_TAG = 'tag:yaml.org,2002:binary';
const MERGE_TAG = 'tag:yaml.org,2002:merge';

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);
const INF_WORDS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEG_INF_WORDS = new Set(['-.inf', '-.Inf', '-.INF']);
const NAN_WORDS = new Set(['.nan', '.NaN', '.NAN']);

/** A scalar as go-yaml v3 types it: the value plus the YAML type name used in its errors. */
export interface Typed {
  value: JsonValue;
  type: 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge';
}

/** go-yaml v3's resolution of an untagged plain scalar. */
export function resolvePlain(text: string): Typed {
  // no number, timestamp or special word but these (five letters at most) starts with a letter:
  // most keys and values are text, told without looking them up
  const letter = isAsciiLetter(text.charCodeAt(0));
  if (letter && text.length > 5) return { value: text, type: 'str' };
  if (NULL_WORDS.has(text)) return { value: null, type: 'null' };
  if (TRUE_WORDS.has(text)) return { value: true, type: 'bool' };
  if (FALSE_WORDS.has(text)) return { value: false, type: 'bool' };
  if (letter) return { value: text, type: 'str' };
  if (INF_WORDS.has(text)) return { value: Infinity, type: 'float' };
  if (NEG_INF_WORDS.has(text)) return { value: -Infinity, type: 'float' };
  if (NAN_WORDS.has(text)) return { value: NaN, type: 'float' };
  if (text === '<<') return { value: text, type: 'merge' };
  const timestamp = timestampToRfc3339(text);
  if (timestamp !== undefined) return { value: timestamp, type: 'timestamp' };
  const n = resolveNumber(text);
  if (n?.kind === 'int') return { value: toJsonInt(n.value), type: 'int' };
  if (n?.kind === 'float') return { value: n.value, type: 'float' };
  return { value: text, type: 'str' };
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function toJsonInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Line breaks of YAML 1.1 that YAML 1.2 (the yaml library) reads as ordinary characters. */
const YAML11_BREAK = /[\u0085\u2028\u2029]/;
/** A plain scalar of nothing but such breaks (and spaces) is empty to go-yaml: a null. */
const ONLY_YAML11_BREAKS = /^[ \u0085\u2028\u2029]+$/;

/** Converts one document's node tree to JSON values, recording lines, anchors and limits. */
class DocumentReader {
  private readonly anchors = new Map<string, Node>();
  private readonly expanding = new Set<Node>();
  private aliasDepth = 0;

  constructor(
    private readonly file: string,
    private readonly src: string,
    private readonly lineOf: (offset: number) => number,
    private readonly lines: Map<string, number>,
  ) {}

  read(root: Node): JsonValue {
    return this.node(root, '', 0);
  }

  private fail(message: string, node: Node | null | undefined): never {
    throw new BuildError(message, this.file, node?.range ? this.lineOf(node.range[0]) : undefined);
  }

  private node(node: Node, pointer: string, depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`invalid YAML: exceeded max depth of ${MAX_DEPTH}`, node);
    if (this.aliasDepth === 0 && node.range && !this.lines.has(pointer)) this.lines.set(pointer, this.lineOf(node.range[0]));
    if (yamlLibrary().isAlias(node)) return this.alias(node.source, node, pointer, depth);
    if (node.anchor) this.anchors.set(node.anchor, node);
    this.expanding.add(node);
    try {
      if (yamlLibrary().isMap(node)) return this.mapping(node.items, Boolean(node.flow), pointer, depth);
      if (yamlLibrary().isSeq(node)) {
        return node.items.map((item, i) => this.child(item as Node | null, `${pointer}/${i}`, depth + 1));
      }
      if (yamlLibrary().isScalar(node)) return this.scalar(node).value;
      return this.fail('invalid YAML: unsupported node', node);
    } finally {
      this.expanding.delete(node);
    }
  }

  private child(node: Node | null, pointer: string, depth: number): JsonValue {
    return node === null ? null : this.node(node, pointer, depth);
  }

  private alias(name: string, at: Node, pointer: string, depth: number): JsonValue {
    const target = this.anchored(name, at);
    if (this.expanding.has(target)) this.fail(`invalid YAML: anchor '${name}' value contains itself`, at);
    this.aliasDepth++;
    try {
      return this.node(target, pointer, depth);
    } finally {
      this.aliasDepth--;
    }
  }

  private anchored(name: string, at: Node): Node {
    const target = this.anchors.get(name);
    if (!target) this.fail(`invalid YAML: unknown anchor '${name}' referenced`, at);
    return target;
  }

  /** A mapping; `<<` merge keys add the entries of the mapping(s) they name, explicit keys win. */
  private mapping(items: readonly { key: unknown; value: unknown }[], flow: boolean, pointer: string, depth: number): JsonObject {
    const out: JsonObject = {};
    const keyLines = new Map<string, number>();
    const merged: JsonObject[] = [];
    let sawMergeKey = false;
    for (const pair of items) {
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (keyNode && yamlLibrary().isScalar(keyNode) && !keyNode.tag && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        if (sawMergeKey) this.fail('invalid YAML: duplicate merge key', keyNode);
        sawMergeKey = true;
        merged.push(...this.mergeSources(valueNode, pointer, depth));
        continue;
      }
      const key = this.key(keyNode);
      const line = keyNode?.range ? this.lineOf(keyNode.range[0]) : 0;
      if (hasKey(out, key)) {
        this.fail(`invalid YAML: mapping key ${JSON.stringify(key)} already defined at line ${keyLines.get(key)}`, keyNode);
      }
      keyLines.set(key, line);
      const childPointer = joinPointer(pointer, key);
      if (this.aliasDepth === 0 && line) this.lines.set(childPointer, line);
      // kustomize reads an entry with no value in a flow mapping (`{a: }`) as an empty string.
      const value = flow && isEmptyPlain(valueNode) ? '' : this.child(valueNode, childPointer, depth + 1);
      setKey(out, key, value);
      if (isEmptyPlain(valueNode, NULL_TAG)) markWrittenEmpty(out, key);
    }
    for (const source of merged) {
      for (const [k, v] of Object.entries(source)) if (!hasKey(out, k)) setKey(out, k, v);
    }
    return out;
  }

  /** The mappings a merge key names, first one winning. */
  private mergeSources(node: Node | null, pointer: string, depth: number): JsonObject[] {
    const value = this.child(node, pointer, depth + 1);
    const list = Array.isArray(value) ? value : [value];
    return list.map((m) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) {
        return this.fail('invalid YAML: map merge requires map or sequence of maps as the value', node);
      }
      return m;
    });
  }

  /** Keys must be strings: kustomize's JSON conversion cannot print any other key. */
  private key(node: Node | null): string {
    // an alias names the key of its anchor (`*app :` after `name: &app echo`)
    if (node && yamlLibrary().isAlias(node)) return this.key(this.anchored(node.source, node));
    if (node && yamlLibrary().isScalar(node)) {
      // a key is on one line, and NEL, LS and PS end lines for go-yaml (YAML 1.1)
      if (node.range && YAML11_BREAK.test(this.src.slice(node.range[0], node.range[1]))) {
        this.fail('invalid YAML: mapping values are not allowed in this context', node);
      }
      const { value, type } = this.scalar(node);
      if (typeof value === 'string' && (type === 'str' || type === 'merge')) return value;
      this.fail(`unsupported map key ${this.text(node)}: only string keys can be converted to JSON`, node);
    }
    return this.fail('unsupported map key: only string keys can be converted to JSON', node);
  }

  private text(node: Scalar): string {
    return JSON.stringify(String(node.value ?? ''));
  }

  /** A scalar as go-yaml v3 decodes it, including explicit standard tags; other tags mean a string. */
  private scalar(node: Scalar): Typed {
    const read = this.blockAtEndOfText(node) ? String(node.value).replace(/\n$/, '') : String(node.value ?? '');
    const text = node.type === 'BLOCK_FOLDED' ? foldedAfterRoundTrip(read) : read;
    const tag = node.tag;
    const quotedOrBlock = node.type !== 'PLAIN';
    if (!tag) return quotedOrBlock ? { value: text, type: 'str' } : resolvePlain(ONLY_YAML11_BREAKS.test(text) ? '' : text);
    if (!tag.startsWith('tag:yaml.org,2002:') || tag === STR_TAG) return { value: text, type: 'str' };
    if (tag === BINARY_TAG) return { value: this.binary(text, node), type: 'str' };
    const resolved = resolvePlain(text);
    const want = tag.slice('tag:yaml.org,2002:'.length);
    const ok =
      (tag === INT_TAG && resolved.type === 'int') ||
      (tag === FLOAT_TAG && (resolved.type === 'float' || resolved.type === 'int')) ||
      (tag === BOOL_TAG && resolved.type === 'bool') ||
      (tag === NULL_TAG && resolved.type === 'null') ||
      (tag === TIMESTAMP_TAG && resolved.type === 'timestamp') ||
      (tag === MERGE_TAG && resolved.type === 'merge');
    if (!ok) this.fail(`invalid YAML: cannot decode !!${resolved.type} \`${text}\` as a !!${want}`, node);
    return tag === FLOAT_TAG && typeof resolved.value === 'bigint' ? { value: Number(resolved.value), type: 'float' } : resolved;
  }

  /**
   * A block scalar whose last line ends the text without a line break: go-yaml keeps only the
   * line breaks it read, so no chomping adds a final one there (the yaml library adds it).
   */
  private blockAtEndOfText(node: Scalar): boolean {
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    return block && node.range != null && node.range[1] >= this.src.length && !/[\n\r]$/.test(this.src);
  }

  /** !!binary: base64 (line breaks ignored), bytes read as UTF-8 as Go's JSON encoder does. */
  private binary(text: string, node: Scalar): string {
    const b64 = text.replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
      this.fail('invalid YAML: !!binary value contains invalid base64 data', node);
    }
    return Buffer.from(b64, 'base64').toString('utf8');
  }
}

/** No value written: no node, or an empty plain scalar without a tag (or with `tag`, if given). */
function isEmptyPlain(node: Node | null, tag?: string): boolean {
  return node === null || (yamlLibrary().isScalar(node) && node.type === 'PLAIN' && (!node.tag || node.tag === tag) && node.value === '');
}

