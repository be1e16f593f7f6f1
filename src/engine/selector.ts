import { goRegExp } from './go-regexp.js';
import { goQuote } from './go-strings.js';
import { BuildError } from '../errors.js';
import { isObject } from '../json/value.js';
import { nodeText } from './merge/nodes.js';
import { effectiveNamespace } from './resid.js';
import type { Resource } from './resource.js';
import type { Selector } from './types.js';

/**
 * kustomize's resource selection (api/resmap reswrangler Select): group, version, kind, name and
 * namespace are regular expressions anchored at both ends (empty matches anything); name and
 * namespace match the resource's original OR current id (namespaces compared in their effective
 * form, "default" for none); labelSelector/annotationSelector use Kubernetes label-selector
 * syntax and are only parsed once some resource got that far, as in kustomize.
 */
export function selectResources(resources: Iterable<Resource>, selector: Selector): Resource[] {
  const group = anchoredRegex(selector.group);
  const version = anchoredRegex(selector.version);
  const kind = anchoredRegex(selector.kind);
  const name = anchoredRegex(selector.name);
  const namespace = anchoredRegex(selector.namespace);
  let labels: LabelSelector | undefined;
  let annotations: LabelSelector | undefined;
  const out: Resource[] = [];
  for (const r of resources) {
    const cur = r.curId();
    const org = r.orgId();
    if (namespace && !namespace.test(effectiveNamespace(org)) && !namespace.test(effectiveNamespace(cur))) continue;
    if (name && !name.test(org.name) && !name.test(cur.name)) continue;
    const gvk = r.gvk;
    if ((group && !group.test(gvk.group)) || (version && !version.test(gvk.version)) || (kind && !kind.test(gvk.kind))) {
      continue;
    }
    labels ??= parseLabelSelector(selector.labelSelector ?? '');
    if (!labels.matches(metadataStrings(r, 'labels'))) continue;
    annotations ??= parseLabelSelector(selector.annotationSelector ?? '');
    if (!annotations.matches(metadataStrings(r, 'annotations'))) continue;
    out.push(r);
  }
  return out;
}

/** Labels or annotations as kyaml reads them: every scalar value as its YAML text. */
function metadataStrings(r: Resource, field: 'labels' | 'annotations'): Map<string, string> {
  const m = isObject(r.obj.metadata) ? r.obj.metadata[field] : undefined;
  const out = new Map<string, string>();
  if (isObject(m)) for (const [k, v] of Object.entries(m)) out.set(k, v === null ? '' : nodeText(v));
  return out;
}

/**
 * Selectors' patterns compiled so far in this process: every overlay's patches select with the same
 * few (a RegExp without the g flag keeps no state between tests, so one serves every selection).
 */
const compiledPatterns = new Map<string, RegExp>();

/** kustomize's anchorRegex, compiled as Go's RE2 syntax would be read. */
function anchoredRegex(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  const known = compiledPatterns.get(pattern);
  if (known) return known;
  const anchored = `^(?:${pattern})$`;
  try {
    const compiled = goRegExp(pattern, '^(?:', ')$');
    compiledPatterns.set(pattern, compiled);
    return compiled;
  } catch (e) {
    throw new BuildError(`error parsing regexp: ${goRegexpReason((e as Error).message)}: \`${anchored}\``);
  }
}

/** Go's wording for the usual regexp syntax errors. */
function goRegexpReason(jsMessage: string): string {
  if (/Unterminated group/.test(jsMessage)) return 'missing closing )';
  if (/Unmatched '\)'/.test(jsMessage)) return 'unexpected )';
  if (/Unterminated character class/.test(jsMessage)) return 'missing closing ]';
  if (/Nothing to repeat/.test(jsMessage)) return 'missing argument to repetition operator';
  return 'invalid regexp';
}

// ---- Kubernetes label selectors (k8s.io/apimachinery/pkg/labels, as vendored by kustomize) ----

type Operator = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | '>' | '<';

interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export interface LabelSelector {
  matches(labels: ReadonlyMap<string, string>): boolean;
}

/** Parses a label selector such as `app=web,tier in (fe,be),!canary`; "" selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const reqs = new SelectorParser(text).parse();
  return { matches: (labels) => reqs.every((r) => requirementMatches(r, labels)) };
}

function requirementMatches(r: Requirement, labels: ReadonlyMap<string, string>): boolean {
  const v = labels.get(r.key);
  switch (r.op) {
    case 'exists':
      return v !== undefined;
    case '!':
      return v === undefined;
    case '=':
    case '==':
    case 'in':
      return v !== undefined && r.values.includes(v);
    case '!=':
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case '>':
    case '<': {
      if (v === undefined || !/^[+-]?\d+$/.test(v)) return false;
      const have = BigInt(v);
      const want = BigInt(r.values[0]!);
      return r.op === '>' ? have > want : have < want;
    }
  }
}

type TokenKind = 'id' | 'end' | 'error' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';
interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSymbolChar = (c: string): boolean => '=!(),><'.includes(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (isSymbolChar(c)) {
      // the longest run of symbol characters that is still a known symbol
      let buf = '';
      let last: Token | undefined;
      while (i < text.length && isSymbolChar(text[i]!)) {
        buf += text[i];
        if (SYMBOLS.has(buf)) last = { kind: buf as TokenKind, text: buf };
        else if (last) break;
        i++;
      }
      out.push(last ?? { kind: 'error', text: `error expected: keyword found '${buf}'` });
    } else {
      let buf = '';
      while (i < text.length && !isSpace(text[i]!) && !isSymbolChar(text[i]!)) buf += text[i++];
      out.push({ kind: buf === 'in' || buf === 'notin' ? buf : 'id', text: buf });
    }
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

class SelectorParser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(text: string) {
    this.tokens = lex(text);
  }

  /** In value position the keywords in/notin are plain identifiers. */
  private peek(values = true): Token {
    const t = this.tokens[Math.min(this.pos, this.tokens.length - 1)]!;
    return values && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'id', text: t.text } : t;
  }

  private next(values = true): Token {
    const t = this.peek(values);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'end') return reqs;
      if (t.kind !== 'id' && t.kind !== '!') {
        throw new BuildError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new BuildError(`unable to parse requirement: ${(e as Error).message}`);
      }
      const sep = this.next();
      if (sep.kind === 'end') return reqs;
      if (sep.kind !== ',') throw new BuildError(`found '${sep.text}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.kind !== 'id' && after.kind !== '!') {
        throw new BuildError(`found '${after.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    let op: Operator | undefined;
    if (t.kind === '!') {
      op = '!';
      t = this.next();
    }
    if (t.kind !== 'id') throw new Error(`found '${t.text}', expected: identifier`);
    const key = t.text;
    validateKey(key);
    const after = this.peek().kind;
    if (op === '!' || after === 'end' || after === ',') return { key, op: op ?? 'exists', values: [] };
    const opTok = this.next(false);
    if (!['=', '==', '!=', '>', '<', 'in', 'notin'].includes(opTok.kind)) {
      throw new Error(`found '${opTok.text}', expected: '=', '!=', '==', 'in', notin'`);
    }
    op = opTok.kind as Operator;
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private exactValue(): string[] {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === ',') return [''];
    this.next();
    if (t.kind === 'id') return [t.text];
    throw new Error(`found '${t.text}', expected: identifier`);
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new Error(`found '${open.text}' expected: '('`);
    const t = this.peek();
    if (t.kind === ')') {
      this.next();
      return [''];
    }
    if (t.kind !== 'id' && t.kind !== ',') throw new Error(`found '${t.text}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.next().kind !== ')') throw new Error(`found '${t.text}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.push(t.text);
        const n = this.peek();
        if (n.kind === ',') continue;
        if (n.kind === ')') return values;
        throw new Error(`found '${n.text}', expected: ',' or ')'`);
      }
      if (t.kind === ',') {
        if (values.length === 0) values.push('');
        const n = this.peek();
        if (n.kind === ')') {
          values.push('');
          return values;
        }
        if (n.kind === ',') {
          this.next();
          values.push('');
        }
        continue;
      }
      throw new Error(`found '${t.text}', expected: ',', or identifier`);
    }
  }
}

function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  if ((op === 'in' || op === 'notin') && values.length === 0) {
    throw new Error("for 'in', 'notin' operators, values set can't be empty");
  }
  if ((op === '=' || op === '==' || op === '!=') && values.length !== 1) {
    throw new Error('exact-match compatibility requires one single value');
  }
  if (op === '>' || op === '<') {
    if (values.length !== 1) throw new Error("for 'Gt', 'Lt' operators, exactly one value is required");
    if (!values.every(isInt64)) throw new Error("for 'Gt', 'Lt' operators, the value must be an integer");
  }
  for (const v of values) validateValue(key, v);
  return { key, op, values };
}

function isInt64(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** apimachinery's validation.RegexError wording. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  const errs: string[] = [];
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) {
        errs.push(
          `prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com')}`,
        );
      }
    }
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function validateKey(key: string): void {
  const errs = qualifiedNameErrors(key);
  if (errs.length > 0) throw new Error(`invalid label key ${goQuote(key)}: ${errs.join('; ')}`);
}

function validateValue(key: string, value: string): void {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (value !== '' && !NAME_RE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  if (errs.length > 0) throw new Error(`invalid label value: ${goQuote(value)}: at key: ${goQuote(key)}: ${errs.join('; ')}`);
}

