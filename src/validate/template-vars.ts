import { BuildError } from '../errors.js';
import { isObject, setKey, type JsonObject, type JsonValue } from '../engine/json.js';
import { parseSingleDocument, resolvePlain } from '../yaml/parse.js';

/**
 * Template variables as CAPI cluster templates (clusterctl) and Flux post-build substitution
 * write them: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`. `$${VAR}` is an escaped literal.
 */
const VARIABLE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

export type Vars = ReadonlyMap<string, string>;

/** Whether a string still holds a template variable after substitution. */
export function holdsVariable(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('${')) return false;
  for (const m of value.matchAll(VARIABLE)) if (!m[1]) return true;
  return false;
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
    value.forEach((item, i) => {
      const next = substituteVars(item, vars);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    for (const [k, item] of Object.entries(value)) {
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
  let changed = false;
  const text = value.replace(VARIABLE, (whole, escaped: string, name: string, op: string | undefined, fallback: string | undefined) => {
    if (escaped) return whole;
    const set = vars.get(name);
    // `:=`/`:-` also replace an empty value; `=`/`-` only an unset one
    const useDefault = op !== undefined && (set === undefined || (op.startsWith(':') && set === ''));
    const replacement = useDefault ? fallback : set;
    if (replacement === undefined) return whole;
    changed = true;
    return replacement;
  });
  if (!changed) return value;
  return text.includes('\n') ? text : resolvePlain(text).value;
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
