import { BuildError } from '../errors.js';
import { isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { parseSingleDocument, resolvePlain } from '../yaml/parse.js';

/**
 * Template variables as CAPI cluster templates (clusterctl) and Flux post-build substitution
 * write them: `${VAR}`, `${VAR:=default}`, `${VAR:-default}` (defaults may hold variables
 * themselves). `$${VAR}` is an escaped literal. clusterctl also reads `${ VAR }`, `${ VAR}` and
 * `${VAR }` as `${VAR}` (its convertLegacyVars, no default allowed); Flux's envsubst refuses
 * them, which the cluster graph reports for what Flux applies.
 */
const VARIABLE_START = /(?<!\$)\$\{\s*[A-Za-z_]/;

export type Vars = ReadonlyMap<string, string>;

/** Whether a string still holds a template variable after substitution. */
export function holdsVariable(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${') && VARIABLE_START.test(value);
}

/** Whether any string in a value, however deep, still holds a template variable. */
export function containsVariable(value: JsonValue): boolean {
  if (typeof value === 'string') return holdsVariable(value);
  if (Array.isArray(value)) return value.some(containsVariable);
  return isObject(value) && Object.values(value).some(containsVariable);
}

/**
 * Replaces variables with their values, or with their default when unset, as Flux and clusterctl
 * do at apply time; a variable with neither stays. Both tools substitute in YAML text, so a scalar
 * that changed is re-read as YAML (`${REPLICAS:=3}` becomes the integer 3). Returns the input
 * itself when nothing changed.
 */
export function substituteVars(value: JsonValue, vars: Vars): JsonValue {
  if (typeof value === 'string') return substituteString(value, vars);
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i]!;
      const next = substituteVars(item, vars);
      if (next !== item) (out ??= [...value])[i] = next;
    }
    return out ?? value;
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    // for-in rather than Object.keys: no key array per object, and this walk visits every object of a run
    for (const k in value) {
      const item = value[k]!;
      const next = substituteVars(item, vars);
      if (next === item) continue;
      out ??= { ...value };
      setKey(out, k, next);
    }
    return out ?? value;
  }
  return value;
}

function substituteString(value: string, vars: Vars): JsonValue {
  if (!value.includes('${')) return value;
  const text = expand(value, vars);
  if (text === value) return value;
  if (text.includes('\n')) return text;
  return /^[[{"']/.test(text) ? flowValue(text) : resolvePlain(text).value;
}

/**
 * `${POD_CIDR:=["192.168.0.0/16"]}` becomes a list and `${DOMAIN:="cluster.local"}` the string
 * inside the quotes, as the YAML re-read gives; text that is not valid YAML stays as it is.
 */
function flowValue(text: string): JsonValue {
  try {
    return parseSingleDocument(text, '<substituted value>');
  } catch {
    return text;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?::=|:-|=|-)/;

/** Expands every variable of a text; one with neither a value nor a default stays as written. */
function expand(text: string, vars: Vars): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) break;
    if (text[at - 1] === '$') {
      out += text.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    const end = closingBrace(text, at + 2);
    const lead = /^\s*/.exec(text.slice(at + 2))![0].length;
    const name = NAME.exec(text.slice(at + 2 + lead))?.[0];
    if (end < 0 || !name) {
      out += text.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    const rest = text.slice(at + 2 + lead + name.length, end);
    // clusterctl's `${ VAR }`: blanks around a bare name, nothing else
    const spaced = lead > 0 || /^\s+$/.test(rest);
    const op = spaced ? undefined : OPERATOR.exec(rest)?.[0];
    const set = vars.get(name);
    out += text.slice(i, at);
    if (spaced ? rest.trim() !== '' : op === undefined && rest !== '') out += text.slice(at, end + 1); // not a form we know: leave it
    else if (set !== undefined && !(op?.startsWith(':') && set === '')) out += set;
    else if (op !== undefined) out += expand(rest.slice(op.length), vars);
    else out += text.slice(at, end + 1);
    i = end + 1;
  }
  return out + text.slice(i);
}

/** Index of the `}` closing a `${` whose body starts at `from`, nested `${...}` skipped; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** `--var K=V` arguments. */
export function parseVarArgs(args: readonly string[]): Map<string, string> {
  return parseAssignments(args, (arg) => new BuildError(`--var ${arg}: expected NAME=VALUE`));
}

function parseAssignments(lines: readonly string[], invalid: (line: string) => BuildError): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf('=');
    const name = i < 0 ? line : line.slice(0, i);
    if (i < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid(line);
    out.set(name, line.slice(i + 1));
  }
  return out;
}

/**
 * A vars file: a YAML map of names to scalars, a ConfigMap or Secret (its `data` / `stringData`,
 * as Flux's substituteFrom reads them), or `NAME=VALUE` lines.
 */
export function parseVarsFile(text: string, file: string): Map<string, string> {
  let doc: JsonValue = null;
  try {
    doc = parseSingleDocument(text, file);
  } catch {
    // not YAML: read as NAME=VALUE lines below
  }
  if (isObject(doc)) return varsFromMap(configMapData(doc), file);
  const lines = text.split(/\r?\n/).map((l) => l.trim().replace(/^export\s+/, '')).filter((l) => l && !l.startsWith('#'));
  return parseAssignments(lines, (line) => new BuildError(`neither a YAML map nor NAME=VALUE lines: "${line}"`, file));
}

function configMapData(doc: JsonObject): JsonObject {
  if (doc.kind === 'ConfigMap' && isObject(doc.data)) return doc.data;
  if (doc.kind === 'Secret') {
    const out: JsonObject = {};
    if (isObject(doc.data)) for (const [k, v] of Object.entries(doc.data)) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
    if (isObject(doc.stringData)) Object.assign(out, doc.stringData);
    return out;
  }
  return doc;
}

function varsFromMap(map: JsonObject, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(map)) {
    if (v !== null && typeof v === 'object') throw new BuildError(`variable ${k} must be a scalar`, file);
    out.set(k, v === null ? '' : String(v));
  }
  return out;
}
