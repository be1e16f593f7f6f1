/**
 * Flux's `envsubst` (github.com/fluxcd/pkg/envsubst v1.7, a fork of drone/envsubst), which
 * kustomize-controller runs over each object's YAML for post-build substitution. Only `${...}` is
 * an expression (`$VAR` is text); `$$` is an escaped `$` anywhere in the text; inside an
 * expression `\\` and `\/` escape too. The scanner and parser follow the Go code step by step,
 * because their quirks are what users meet: `${ VAR }` (a space before the name) is a parse
 * error that fails the whole build, not a variable.
 */

export class EnvsubstError extends Error {}

type Node = { kind: 'text'; value: string } | { kind: 'func'; param: string; name: string; args: Node[] } | { kind: 'list'; nodes: Node[] };

const EMPTY: Node = { kind: 'text', value: '' };

const EOF = -1;
const enum Token {
  Illegal,
  Eof,
  Ident,
  Lbrack,
  Rbrack,
}
// scanner modes
const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;
// escape characters
const DOLLAR = 1;
const BACKSLASH = 2;

type Accept = (r: number, i: number) => boolean;

const ch = (c: string): number => c.codePointAt(0)!;
const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => r === ch('_') || /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r));
const acceptColon: Accept = (r) => r === ch(':');
const acceptOneHash: Accept = (r, i) => r === ch('#') && i === 1;
const acceptNotClosing: Accept = (r) => r !== ch('}');
const acceptHashFunc: Accept = (r, i) => r === ch('#') && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === ch('%') && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ch(':')) || (i === 2 && '=-?+'.includes(String.fromCodePoint(r)));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === ch('/')) || (i === 2 && '/#%'.includes(String.fromCodePoint(r)));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === ch('=');
const acceptOneColon: Accept = (r, i) => i === 1 && r === ch(':');
const rejectColonClose: Accept = (r) => r !== ch(':') && r !== ch('}');
const acceptSlash: Accept = (r) => r === ch('/');
const acceptNotSlash: Accept = (r) => r !== ch('/');
const acceptCasingFunc: Accept = (r, i) => (r === ch(',') || r === ch('^')) && i < 3;

class Scanner {
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;

  constructor(public buf: string) {}

  read(): number {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.buf.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  unread(): void {
    this.pos -= this.width;
  }

  /** Drops the character just read (an escape) from the buffer. */
  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }

  peek(): number {
    const r = this.read();
    this.unread();
    return r;
  }

  text(): string {
    return this.buf.slice(this.start, this.pos);
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return Token.Eof;
    if (this.scanLbrack(r)) return Token.Lbrack;
    if (this.scanRbrack(r)) return Token.Rbrack;
    if (this.scanIdent(r)) return Token.Ident;
    return Token.Illegal;
  }

  private scanIdent(first: number): boolean {
    if (!(this.mode & SCAN_IDENT)) return false;
    if (this.scanEscaped(first)) this.skip();
    else if (!this.accept(first, this.pos - this.start)) return false;
    for (;;) {
      const r = this.read();
      if (r === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(r)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(r)) {
        this.skip();
        continue;
      }
      if (!this.accept(r, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: number): boolean {
    if (!(this.mode & SCAN_LBRACK)) return false;
    if (r === ch('$')) {
      if (this.read() === ch('{')) return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: number): boolean {
    return (this.mode & SCAN_RBRACK) !== 0 && r === ch('}');
  }

  private scanEscaped(r: number): boolean {
    if (!(this.mode & SCAN_ESCAPE)) return false;
    if (r === ch('$') && this.escapeChars & DOLLAR && this.peek() === ch('$')) return true;
    if (r === ch('\\') && this.escapeChars & BACKSLASH) {
      const next = this.peek();
      return next === ch('/') || next === ch('\\');
    }
    return false;
  }
}

class Parser {
  private readonly s: Scanner;

  constructor(text: string) {
    this.s = new Scanner(text);
  }

  parse(): Node {
    return this.parseAny();
  }

  private parseAny(): Node {
    const s = this.s;
    s.accept = acceptRune;
    s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
    s.escapeChars = DOLLAR;
    let left: Node;
    switch (s.scan()) {
      case Token.Ident:
        left = { kind: 'text', value: s.text() };
        break;
      case Token.Eof:
        return EMPTY;
      case Token.Lbrack:
        left = this.parseFunc();
        break;
      default:
        throw new EnvsubstError('bad substitution');
    }
    const right = this.parseAny();
    return right === EMPTY ? left : { kind: 'list', nodes: [left, right] };
  }

  private parseFunc(): Node {
    const s = this.s;
    s.escapeChars = DOLLAR | BACKSLASH;
    if (s.peek() === ch('#')) return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError('unable to parse variable name');
    const name = s.text();
    switch (String.fromCodePoint(Math.max(s.peek(), 0))) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseCasingFunc(name);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseRemoveFunc(name, acceptHashFunc);
      case '%':
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    s.accept = acceptIdent;
    s.mode = SCAN_RBRACK;
    if (s.scan() !== Token.Rbrack) throw new EnvsubstError('missing closing brace');
    return { kind: 'func', param: name, name: '', args: [] };
  }

  private parseParam(accept: Accept, mode: number): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | SCAN_LBRACK;
    switch (s.scan()) {
      case Token.Lbrack:
        return this.parseFunc();
      case Token.Ident:
      case Token.Rbrack:
        return { kind: 'text', value: s.text() };
      default:
        throw new EnvsubstError('unable to parse substitution within function');
    }
  }

  private parseDefaultOrSubstr(name: string): Node {
    const s = this.s;
    s.read();
    const r = s.peek();
    s.unread();
    return r >= 0 && '=-?+'.includes(String.fromCodePoint(r)) ? this.parseDefaultFunc(name) : this.parseSubstrFunc(name);
  }

  /** What a function's name token reads, or a bad substitution. */
  private funcName(accept: Accept, error = 'bad substitution'): string {
    const s = this.s;
    s.accept = accept;
    s.mode = SCAN_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(error);
    return s.text();
  }

  private parseSubstrFunc(param: string): Node {
    const node = { kind: 'func' as const, param, name: this.funcName(acceptOneColon), args: [] as Node[] };
    node.args.push(this.parseParam(rejectColonClose, SCAN_IDENT));
    const s = this.s;
    s.accept = acceptColon;
    s.mode = SCAN_IDENT | SCAN_RBRACK;
    const t = s.scan();
    if (t === Token.Rbrack) return node;
    if (t !== Token.Ident) throw new EnvsubstError('bad substitution');
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseRemoveFunc(param: string, accept: Accept): Node {
    const node = { kind: 'func' as const, param, name: this.funcName(accept), args: [this.parseParam(acceptNotClosing, SCAN_IDENT)] };
    this.consumeRbrack();
    return node;
  }

  private parseReplaceFunc(param: string): Node {
    const node = { kind: 'func' as const, param, name: this.funcName(acceptReplaceFunc), args: [this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE)] };
    this.funcName(acceptSlash); // the delimiter
    if (this.s.peek() !== ch('}')) node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  private parseDefaultFunc(param: string): Node {
    const node = {
      kind: 'func' as const,
      param,
      name: this.funcName(this.s.peek() === ch('=') ? acceptOneEqual : acceptDefaultFunc, 'unable to parse default function'),
      args: [] as Node[],
    };
    while (this.s.peek() !== ch('}')) node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseCasingFunc(param: string): Node {
    const node = { kind: 'func' as const, param, name: this.funcName(acceptCasingFunc), args: [] };
    this.consumeRbrack();
    return node;
  }

  private parseLenFunc(): Node {
    const name = this.funcName(acceptOneHash);
    const param = this.funcName(acceptIdent);
    this.consumeRbrack();
    return { kind: 'func', param, name, args: [] };
  }

  private consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== Token.Rbrack) throw new EnvsubstError('bad substitution');
  }
}

/** A variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** Operators that supply their own value when the variable is unset, so strict mode lets them be. */
const DEFAULT_OPERATORS = new Set(['-', '+', '=', '?', ':-', ':+', ':=', ':?']);

/**
 * Expands `text` as Flux does. `lookup` gives the variables; a variable it does not know is
 * handed to `unset`, whose result is written in its place (Flux's strict mode fails there, the
 * lenient mode writes the empty string). Throws EnvsubstError for text Flux cannot parse.
 */
export function envsubst(text: string, lookup: Lookup, unset: (name: string) => string): string {
  const out: string[] = [];
  const evaluate = (node: Node, into: string[]): void => {
    if (node.kind === 'text') into.push(node.value);
    else if (node.kind === 'list') for (const n of node.nodes) evaluate(n, into);
    else {
      const args = node.args.map((a) => {
        const buf: string[] = [];
        evaluate(a, buf);
        return buf.join('');
      });
      const value = lookup(node.param);
      if (value === undefined && !DEFAULT_OPERATORS.has(node.name)) into.push(unset(node.param));
      else into.push(substituteFunction(node.name, args.length)(value ?? '', args));
    }
  };
  evaluate(new Parser(text).parse(), out);
  return out.join('');
}

type SubstituteFunction = (s: string, args: string[]) => string;

function substituteFunction(name: string, argCount: number): SubstituteFunction {
  switch (name) {
    case ',':
      return (s) => mapFirst(s, (c) => c.toLowerCase());
    case ',,':
      return (s) => s.toLowerCase();
    case '^':
      return (s) => mapFirst(s, (c) => c.toUpperCase());
    case '^^':
      return (s) => s.toUpperCase();
    case '#':
      return argCount === 0 ? (s) => String(Buffer.byteLength(s)) : (s, a) => trimPrefix(s, a[0]!, 'shortest');
    case '##':
      return (s, a) => trimPrefix(s, a[0]!, 'longest');
    case '%':
      return (s, a) => reverse(trimPrefix(reverse(s), reverse(a[0]!), 'shortest'));
    case '%%':
      return (s, a) => reverse(trimPrefix(reverse(s), reverse(a[0]!), 'longest'));
    case ':':
      return substring;
    case '/#':
      return (s, a) => (a.length === 2 && s.startsWith(a[0]!) ? a[1]! + s.slice(a[0]!.length) : s);
    case '/%':
      return (s, a) => (a.length === 2 && s.endsWith(a[0]!) ? s.slice(0, s.length - a[0]!.length) + a[1]! : s);
    case '/':
      return (s, a) => (a.length === 0 ? s : s.replace(a[0]!, () => a[1] ?? ''));
    case '//':
      return (s, a) => (a.length === 0 ? s : s.split(a[0]!).join(a[1] ?? ''));
    default:
      // a bare ${var} and every default operator: the value, else the arguments joined
      return (s, a) => (s === '' && a.length > 0 ? a.join('') : s);
  }
}

function mapFirst(s: string, f: (c: string) => string): string {
  if (s === '') return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  return f(first) + s.slice(first.length);
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

/** `${var:pos}` and `${var:pos:len}` as bash (and the Go code) count them. */
function substring(s: string, args: string[]): string {
  let pos = goAtoi(args[0]);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : '';
  const length = goAtoi(args[1]);
  if (length === undefined) return s;
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : '';
  return s.slice(pos, pos + length);
}

function goAtoi(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** Removes the shortest or longest prefix of `s` that the glob `pattern` matches (Go's path.Match). */
function trimPrefix(s: string, pattern: string, which: 'shortest' | 'longest'): string {
  const re = globRegExp(pattern);
  if (!re) return s;
  let match: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const prefix = s.slice(0, s.length - i);
    if (!re.test(prefix)) continue;
    if (which === 'longest') return s.slice(prefix.length);
    match = prefix;
  }
  return match ? s.slice(match.length) : s;
}

/** Go's path.Match pattern as a regular expression; undefined for a malformed pattern. */
function globRegExp(pattern: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) return undefined;
      re += escapeRegExp(pattern[i]!);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('^') ? `^/${body.slice(1)}` : body}]`;
      i = end;
    } else re += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return undefined;
  }
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
