import { clone, isObject, type JsonObject, type JsonValue } from '../../src/json/value.js';
import { joinPointer } from '../../src/json/pointer.js';
import { goRegExp } from '../../src/schemas/schema-runtime.js';
import type { SchemaFinding } from '../../src/validate/schema-check.js';

/**
 * Mutation testing of schema validation: from a valid object and its schema, copies broken in
 * one place each, with the finding they must produce. Only changes the schema itself forbids
 * are made (no unknown field under preserve-unknown-fields, no enum break where the enum is
 * only a CEL rule), so every mutation must be caught.
 */

type Schema = Record<string, unknown>;

export type MutationKind = 'unknown-field' | 'wrong-type' | 'enum' | 'pattern' | 'range' | 'required' | 'removed-version';

export interface Mutation {
  kind: MutationKind;
  /** JSON pointer of the field the finding must name */
  path: string;
  object: JsonObject;
  /** rule ids that count as catching it */
  ruleIds: readonly string[];
}

const UNKNOWN_FIELD = 'zzUnknownField';

/** The schema a node stands for: its `$ref` followed (schemas are self-contained, refs local). */
export function resolve(root: Schema, node: unknown): Schema {
  let s = (isObject(node as JsonValue) ? node : {}) as Schema;
  for (let i = 0; typeof s.$ref === 'string' && i < 32; i++) {
    s = s.$ref.split('/').slice(1).reduce<unknown>((at, token) => (at as Schema)[token.replace(/~1/g, '/').replace(/~0/g, '~')], root) as Schema;
  }
  return s;
}

function types(s: Schema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
}

/**
 * The types an int-or-string style node allows through its alternatives (`anyOf` of bare
 * `type`s), or undefined when its alternatives are anything else.
 */
function alternativeTypes(s: Schema): string[] | undefined {
  const branches = s.anyOf ?? s.oneOf;
  if (!Array.isArray(branches) || s.allOf !== undefined || s.not !== undefined) return undefined;
  if (!branches.every((b) => isObject(b as JsonValue) && Object.keys(b as object).join() === 'type')) return undefined;
  return [...types(s), ...branches.flatMap((b) => types(b as Schema))];
}

/** Whether a schema node constrains its value only through alternatives we do not model. */
function hasAlternatives(s: Schema): boolean {
  return s.anyOf !== undefined || s.oneOf !== undefined || s.allOf !== undefined || s.not !== undefined;
}

interface Position {
  pointer: string;
  value: JsonValue;
  schema: Schema;
}

/** Every value of the object with the schema node that governs it, reached through properties, items and additionalProperties. */
function positions(root: Schema, value: JsonValue, node: unknown, pointer = ''): Position[] {
  const schema = resolve(root, node);
  const out: Position[] = [{ pointer, value, schema }];
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => out.push(...positions(root, item, schema.items, joinPointer(pointer, i))));
  } else if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) {
      const child = properties[key] ?? (isObject(schema.additionalProperties as JsonValue) ? schema.additionalProperties : undefined);
      if (child !== undefined) out.push(...positions(root, item, child, joinPointer(pointer, key)));
    }
  }
  return out;
}

function setAt(obj: JsonObject, pointer: string, change: (parent: JsonObject | JsonValue[], key: string) => void): JsonObject {
  const copy = clone(obj);
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: JsonValue = copy;
  for (const t of tokens.slice(0, -1)) parent = (parent as Record<string, JsonValue>)[t]!;
  change(parent as JsonObject, tokens[tokens.length - 1]!);
  return copy;
}

function replaced(obj: JsonObject, pointer: string, value: JsonValue): JsonObject {
  return setAt(obj, pointer, (parent, key) => {
    (parent as Record<string, JsonValue>)[key] = value;
  });
}

/** A value of none of the given types. */
function wrongTypeValue(allowed: string[]): JsonValue | undefined {
  const candidates: [string, JsonValue][] = [['object', { [UNKNOWN_FIELD]: 1 }], ['boolean', true], ['array', ['x']], ['string', 'not-a-number']];
  const accepts = (t: string) => allowed.includes(t) || (t === 'integer' && allowed.includes('number'));
  return candidates.find(([t]) => !accepts(t))?.[1];
}

/** Strings that no pattern of a Kubernetes schema is meant to accept, tried in turn. */
const PATTERN_BREAKERS = ['~~not valid~~', '', '0', 'a', 'A_B', '-'];

/**
 * The mutations of one valid object. `removedVersions` are apiVersions of this kind that are no
 * longer served (the schema check must name the one to use).
 */
export function mutationsOf(obj: JsonObject, schema: object, removedVersions: readonly string[] = []): Mutation[] {
  const root = schema as Schema;
  const out: Mutation[] = [];
  for (const { pointer, value, schema: s } of positions(root, obj, root)) {
    if (isObject(value) && s.additionalProperties === false && !hasAlternatives(s)) {
      const path = joinPointer(pointer, UNKNOWN_FIELD);
      out.push({ kind: 'unknown-field', path, ruleIds: ['schema/unknown-field'], object: replaced(obj, path, 'surprise') });
    }
    if (isObject(value) && Array.isArray(s.required) && !hasAlternatives(s)) {
      for (const key of s.required as string[]) {
        if (!(key in value) || (pointer === '' && (key === 'apiVersion' || key === 'kind'))) continue;
        const path = joinPointer(pointer, key);
        out.push({ kind: 'required', path, ruleIds: ['schema/required-field'], object: setAt(obj, path, (parent, k) => delete (parent as JsonObject)[k]) });
      }
    }
    if (pointer === '' || pointer === '/apiVersion' || pointer === '/kind') continue;
    const alternatives = alternativeTypes(s);
    if (alternatives !== undefined) {
      const wrong = wrongTypeValue(alternatives);
      if (wrong !== undefined) out.push({ kind: 'wrong-type', path: pointer, ruleIds: ['schema/type', 'schema/alternatives'], object: replaced(obj, pointer, wrong) });
    }
    if (hasAlternatives(s)) continue;
    const allowed = types(s);
    const wrong = allowed.length > 0 ? wrongTypeValue(allowed) : undefined;
    if (wrong !== undefined) out.push({ kind: 'wrong-type', path: pointer, ruleIds: ['schema/type'], object: replaced(obj, pointer, wrong) });
    if (typeof value === 'number' && typeof s.maximum === 'number' && Number.isSafeInteger(s.maximum + 1)) {
      out.push({ kind: 'range', path: pointer, ruleIds: ['schema/value', 'schema/format'], object: replaced(obj, pointer, s.maximum + 1) });
    }
    if (typeof value === 'string' && Array.isArray(s.enum) && !s.enum.includes('NotAnAllowedValue')) {
      out.push({ kind: 'enum', path: pointer, ruleIds: ['schema/enum'], object: replaced(obj, pointer, 'NotAnAllowedValue') });
    }
    if (typeof value === 'string' && typeof s.pattern === 'string' && s.enum === undefined) {
      const re = goRegExp(s.pattern);
      const fits = (t: string) => t.length >= Number(s.minLength ?? 0) && t.length <= Number(s.maxLength ?? Infinity);
      const broken = PATTERN_BREAKERS.find((t) => fits(t) && !re.test(t));
      if (broken !== undefined) out.push({ kind: 'pattern', path: pointer, ruleIds: ['schema/pattern'], object: replaced(obj, pointer, broken) });
    }
  }
  for (const apiVersion of removedVersions) {
    out.push({ kind: 'removed-version', path: '/apiVersion', ruleIds: ['schema/removed-version'], object: { ...obj, apiVersion } });
  }
  return out;
}

/** Whether the findings catch the mutation: one of the expected rules, naming the mutated field. */
export function catches(findings: readonly SchemaFinding[], m: Mutation): boolean {
  return findings.some((f) => m.ruleIds.includes(f.ruleId) && f.path === m.path);
}

/** A string satisfying a schema node's enum, pattern and length, if one of the usual shapes does. */
function validString(s: Schema): string | undefined {
  if (Array.isArray(s.enum)) return s.enum.find((v): v is string => typeof v === 'string');
  const candidates = ['example', 'a', 'v1.30.0', 'default', '10m', '1', '1Gi', 'A', 'example.com', 'https://example.com', '2024-01-01T00:00:00Z', 'ZXhhbXBsZQ==', '10.0.0.0/16', '00000000-0000-0000-0000-000000000000', 'Ready', 'a-b', '/path', 'ab', 'abc'];
  const re = typeof s.pattern === 'string' ? goRegExp(s.pattern) : undefined;
  const min = Number(s.minLength ?? 0);
  const max = Number(s.maxLength ?? Infinity);
  return candidates.find((c) => c.length >= min && c.length <= max && (!re || re.test(c)));
}

/**
 * A value the schema accepts, built from the schema alone: every property down to `depth`
 * (only required ones below it, and where alternatives or CEL rules could object to a
 * combination), arrays with their minimum number of items. Undefined when no value is found.
 */
export function synthesize(schema: object, depth = 6): JsonValue | undefined {
  const root = schema as Schema;
  const build = (node: unknown, level: number): JsonValue | undefined => {
    const s = resolve(root, node);
    if (s.default !== undefined && s.default !== null) return s.default as JsonValue;
    const t = types(s).filter((x) => x !== 'null');
    if (Array.isArray(s.enum)) return s.enum.find((v) => v !== null) as JsonValue | undefined;
    if (t.includes('object') || s.properties !== undefined) {
      const out: JsonObject = {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required ?? []) as string[]);
      const all = level < depth && !hasAlternatives(s) && s['x-kubernetes-validations'] === undefined && s.maxProperties === undefined;
      const minProperties = Number(s.minProperties ?? 0);
      for (const [key, child] of Object.entries(properties)) {
        const wanted = required.has(key) || (key !== 'status' && (all || Object.keys(out).length < minProperties));
        if (!wanted || level > depth + 4) continue;
        const value = build(child, level + 1);
        if (value !== undefined) out[key] = value;
        else if (required.has(key)) return undefined;
      }
      return Object.keys(out).length < minProperties ? undefined : out;
    }
    if (t.includes('array')) {
      const item = build(s.items, level + 1);
      if (item === undefined) return Number(s.minItems ?? 0) > 0 ? undefined : [];
      return Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, (_, i) => (i === 0 ? item : mapKeyed(item, s, i)));
    }
    if (t.includes('string')) return validString(s);
    if (t.includes('integer') || t.includes('number')) return Math.max(Number(s.minimum ?? 1), 1);
    if (t.includes('boolean')) return true;
    return undefined;
  };
  return build(root, 0);
}

/** The i-th item of a list whose items must differ: map keys made distinct. */
function mapKeyed(item: JsonValue, s: Schema, i: number): JsonValue {
  if (!isObject(item) || !Array.isArray(s['x-kubernetes-list-map-keys'])) return item;
  const copy = clone(item);
  for (const k of s['x-kubernetes-list-map-keys'] as string[]) if (typeof copy[k] === 'string') copy[k] = `${copy[k]}${i}`;
  return copy;
}
