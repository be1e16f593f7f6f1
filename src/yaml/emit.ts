import { isObject, type JsonObject, type JsonValue } from '../json/value.js';
import { codePoints, isBreak, isPrintable, isSpace } from './chars.js';
import { compareKeyCodePoints } from './keyorder.js';
import { formatNumber } from './numbers.js';
import { analyzeScalar, type ScalarAnalysis } from './scalar-analysis.js';
import { isNonStringPlainScalar } from './scalar-resolve.js';
import { isDroppedMergeKey, readBackKey, readBackString } from './json-roundtrip.js';

/**
 * Prints one resource exactly as kustomize does. kustomize turns each resource into JSON and
 * hands that to go-yaml v2 (sigs.k8s.io/yaml JSONToYAML), whose emitter is libyaml's. So the
 * output is block style, two-space indents, sequences under a key not indented, empty
 * collections as `{}`/`[]`, keys in go-yaml v2's order, numbers as Go prints them, and strings
 * in libyaml's style choice with its 80-column folding. This module re-implements that emitter
 * for the JSON data model only (no anchors, tags or flow content). `keyOrder: 'insertion'` keeps
 * each map's own key order instead (files written for people: apiVersion, kind, metadata, spec).
 */
export function emitDocument(value: JsonValue, options: { keyOrder?: 'go-yaml' | 'insertion' } = {}): string {
  return new Emitter(options.keyOrder ?? 'go-yaml').document(value);
}

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
/** libyaml writes longer keys (in UTF-8 bytes) as complex `? key` entries. */
const MAX_SIMPLE_KEY_BYTES = 128;

/** Where a node sits, as the libyaml emitter tracks it. */
interface NodeContext {
  /** The node is a key or value of a mapping (decides indentless sequences). */
  mapping: boolean;
}

/** The style go-yaml v2's encoder asks for; the emitter may still override it. */
function requestedStringStyle(s: string): ScalarStyle {
  if (s.includes('\n')) return 'literal';
  return isNonStringPlainScalar(s) ? 'double' : 'plain';
}

function scalarText(value: null | boolean | number | bigint | string): { text: string; style: ScalarStyle } {
  if (typeof value === 'string') {
    const text = readBackString(value);
    return { text, style: requestedStringStyle(text) };
  }
  if (value === null) return { text: 'null', style: 'plain' };
  if (typeof value === 'boolean') return { text: String(value), style: 'plain' };
  return { text: formatNumber(value), style: 'plain' };
}

/** libyaml's final style choice for block context. */
function selectStyle(requested: ScalarStyle, a: ScalarAnalysis, simpleKey: boolean): ScalarStyle {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && (!a.plainAllowed || (simpleKey && a.length === 0))) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.literalAllowed || simpleKey)) style = 'double';
  return style;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const DOUBLE_QUOTE_ESCAPES = new Map<number, string>([
  [0x00, '0'], [0x07, 'a'], [0x08, 'b'], [0x09, 't'], [0x0a, 'n'], [0x0b, 'v'], [0x0c, 'f'],
  [0x0d, 'r'], [0x1b, 'e'], [0x22, '"'], [0x5c, '\\'], [0x85, 'N'], [0xa0, '_'],
  [0x2028, 'L'], [0x2029, 'P'],
]);

function escapeForDoubleQuotes(c: number): string {
  const named = DOUBLE_QUOTE_ESCAPES.get(c);
  if (named !== undefined) return '\\' + named;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (c <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/** How a map key is written: its analysis, the style asked for, and whether it fits a simple `key:`. */
interface KeyForm {
  analysis: ScalarAnalysis;
  style: ScalarStyle;
  simple: boolean;
  /** The key's code points, for go-yaml's key order. */
  points: number[];
}

/**
 * The forms of keys seen so far: the same few keys (apiVersion, metadata, name ...) make up most
 * of every document. Bounded, for documents with many distinct keys.
 */
const KEY_FORMS = new Map<string, KeyForm>();
const MAX_KEY_FORMS = 10_000;

function keyForm(key: string): KeyForm {
  let form = KEY_FORMS.get(key);
  if (!form) {
    const analysis = analyzeScalar(readBackKey(key));
    form = { analysis, style: requestedStringStyle(key), simple: !analysis.multiline && utf8Length(key) <= MAX_SIMPLE_KEY_BYTES, points: codePoints(key) };
    if (KEY_FORMS.size < MAX_KEY_FORMS) KEY_FORMS.set(key, form);
  }
  return form;
}

/** The libyaml writer state that decides spaces, line breaks and indentation. */
class Emitter {
  /** The text written so far, joined once at the end: appending character by character builds a rope that is slow to flatten. */
  private readonly out: string[] = [];
  private column = 0;
  /** The last thing written was whitespace (or nothing yet). */
  private whitespace = true;
  /** Only indentation (and indentation-like indicators such as `- `) on the current line so far. */
  private indention = true;
  private indent = -1;

  /** `insertion` keeps each map's own key order, for files people read (generated trees). */
  constructor(private readonly keyOrder: 'go-yaml' | 'insertion') {}

  document(value: JsonValue): string {
    this.node(value, { mapping: false });
    this.writeIndent(); // kustomize prints no `...` even after a `|+` block
    return this.out.join('');
  }

  private node(value: JsonValue, ctx: NodeContext): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlowCollection('[', ']');
      else this.blockSequence(value, ctx);
    } else if (isObject(value)) {
      const keys = Object.keys(value).filter((k) => !isDroppedMergeKey(k));
      if (keys.length === 0) this.emptyFlowCollection('{', '}');
      else this.blockMapping(value, keys);
    } else {
      const { text, style } = scalarText(value);
      this.scalar(analyzeScalar(text), style, false);
    }
  }

  private emptyFlowCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: JsonValue[], ctx: NodeContext): void {
    const saved = this.indent;
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { mapping: false });
    }
    this.indent = saved;
  }

  private blockMapping(obj: JsonObject, keys: string[]): void {
    const saved = this.indent;
    this.increaseIndent(false, false);
    const entries = keys.map((k) => ({ key: k, form: keyForm(k), value: obj[k]! }));
    if (this.keyOrder === 'go-yaml') entries.sort((a, b) => compareKeyCodePoints(a.form.points, b.form.points));
    for (const { form: { analysis, style, simple }, value } of entries) {
      this.writeIndent();
      if (simple) {
        this.scalar(analysis, style, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.scalar(analysis, style, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.indent = saved;
  }

  private scalar(a: ScalarAnalysis, requested: ScalarStyle, simpleKey: boolean): void {
    const style = selectStyle(requested, a, simpleKey);
    const saved = this.indent;
    this.increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        this.writePlain(a, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(codePoints(a.text), allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(codePoints(a.text), allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(a.text);
        break;
    }
    this.indent = saved;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private put(ch: string): void {
    this.out.push(ch);
    this.column++;
  }

  /** Writes `text` of `length` code points, none of them a line break. */
  private putRun(text: string, length: number): void {
    this.out.push(text);
    this.column += length;
  }

  private write(c: number): void {
    this.put(String.fromCodePoint(c));
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak();
    } else {
      this.write(c);
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) this.putRun(' '.repeat(indent - this.column), indent - this.column);
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.putRun(indicator, indicator.length);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Plain text; a space is turned into a line break once the line is past the width. */
  private writePlain(a: ScalarAnalysis, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    // the common case, in one piece: no line break, and no space the width could fold
    if (!a.multiline && (!allowBreaks || this.column + a.length <= BEST_WIDTH + 1 || !a.text.includes(' '))) {
      this.putRun(a.text, a.length);
      this.whitespace = false;
      this.indention = false;
      return;
    }
    const chars = codePoints(a.text);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1] ?? -1)) {
          this.writeIndent();
        } else {
          this.write(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(chars: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const last = chars.length - 1;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last && !isSpace(chars[i + 1] ?? -1)) {
          this.writeIndent();
        } else {
          this.write(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
  }

  /**
   * Double-quoted text with escapes. A folded space is replaced by the line break (which
   * reads back as a space); a `\` keeps a following space from being eaten as indentation.
   */
  private writeDoubleQuoted(chars: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const last = chars.length - 1;
    // libyaml's BOM test looks at the start of the text rather than the current character,
    // so a text that starts with a BOM is escaped character by character.
    const escapeAll = chars[0] === 0xfeff;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (escapeAll || !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c) {
        for (const ch of escapeForDoubleQuotes(c)) this.put(ch);
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last) {
          this.writeIndent();
          if (isSpace(chars[i + 1] ?? -1)) this.put('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
  }

  /**
   * A literal block, line by line. Its text is printable and within the Basic Multilingual Plane
   * (the only characters analyzeScalar allows in one), so UTF-16 units are its characters.
   */
  private writeLiteral(text: string): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(text);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < text.length; ) {
      const c = text.charCodeAt(i);
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        i++;
        continue;
      }
      if (breaks) this.writeIndent();
      let end = i + 1;
      while (end < text.length && !isBreak(text.charCodeAt(end))) end++;
      this.putRun(text.slice(i, end), end - i);
      this.indention = false;
      breaks = false;
      i = end;
    }
  }

  /** `2` when the text starts with a space or break; `-` strip / `+` keep trailing breaks. */
  private writeBlockScalarHints(text: string): void {
    const first = text.charCodeAt(0);
    if (isSpace(first) || isBreak(first)) {
      this.writeIndicator(String(BEST_INDENT), false, false, false);
    }
    const last = text.length - 1;
    if (last < 0 || !isBreak(text.charCodeAt(last))) this.writeIndicator('-', false, false, false);
    else if (last === 0 || isBreak(text.charCodeAt(last - 1))) this.writeIndicator('+', false, false, false);
  }
}
