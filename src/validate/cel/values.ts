import { hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../../json/value.js';

/** A node of a bundled schema (see src/schemas/README.md): only keywords are read from it. */
export type SchemaNode = JsonObject;

/** A declared property as CEL sees it. */
export interface Property {
  name: string;
  node: SchemaNode;
  /** the names a rule reaches it by (none: unreachable) */
  celNames: string[];
  nullable: boolean;
  /** its `default`, when it has one */
  default?: JsonValue;
}

/** What a node says about the structure of its value, worked out once per node. */
interface Shape {
  properties: Property[];
  byName: Map<string, Property>;
  defaulted: Property[];
  /** `type: number`: whole values are doubles all the same */
  double: boolean;
  preserveUnknown: boolean;
  values?: SchemaNode;
  items?: SchemaNode;
}

/**
 * Resolves the local `$ref`s of one whole-object schema (`#/definitions/<name>`: ObjectMeta in
 * CRD schemas, every type in core kinds) and gathers a node's `allOf` branches, which add
 * properties and rules to the value at that node.
 */
export class SchemaResolver {
  private readonly shapes = new Map<SchemaNode, Shape>();

  constructor(private readonly root: SchemaNode) {}

  resolve(node: JsonValue | undefined): SchemaNode | undefined {
    if (!isObject(node)) return undefined;
    if (typeof node.$ref !== 'string') return node;
    const definitions = this.root.definitions;
    const name = node.$ref.replace(/^#\/definitions\//, '');
    return isObject(definitions) && hasKey(definitions, name) && isObject(definitions[name]) ? definitions[name] : undefined;
  }

  /** The node itself and its `allOf` branches, resolved. */
  parts(node: SchemaNode): SchemaNode[] {
    const out = [node];
    if (Array.isArray(node.allOf)) {
      for (const b of node.allOf) {
        const branch = this.resolve(b);
        if (branch) out.push(...this.parts(branch));
      }
    }
    return out;
  }

  shape(node: SchemaNode): Shape {
    let shape = this.shapes.get(node);
    if (!shape) {
      const parts = this.parts(node);
      const properties: Property[] = [];
      for (const part of parts) {
        if (!isObject(part.properties)) continue;
        for (const [name, p] of Object.entries(part.properties)) {
          const resolved = this.resolve(p);
          // a property an allOf branch repeats (a CRD's metadata limits beside ObjectMeta) keeps the first schema
          if (!resolved || properties.some((q) => q.name === name)) continue;
          const types = typesOf(resolved);
          properties.push({ name, node: resolved, celNames: celNames(name), nullable: types.includes('null'), ...(resolved.default !== undefined ? { default: resolved.default } : {}) });
        }
      }
      const values = this.resolve(parts.find((p) => isObject(p.additionalProperties))?.additionalProperties);
      const items = this.resolve(parts.find((p) => p.items !== undefined)?.items);
      shape = {
        properties,
        byName: new Map(properties.map((p) => [p.name, p])),
        defaulted: properties.filter((p) => p.default !== undefined),
        double: typesOf(node).includes('number'),
        preserveUnknown: parts.some((p) => p['x-kubernetes-preserve-unknown-fields'] === true),
        ...(values ? { values } : {}),
        ...(items ? { items } : {}),
      };
      this.shapes.set(node, shape);
    }
    return shape;
  }
}

/**
 * The value a rule sees as `self`, as the API server builds it: integers are CEL ints and numbers
 * of `type: number` doubles; declared properties go by their escaped CEL names; a null the API
 * server would prune is absent; an absent property with a `default` has it (the API server
 * defaults before it validates). Values under no schema (preserved unknown fields) are dynamic:
 * whole numbers are ints, as Kubernetes decodes JSON.
 */
export function celValue(value: JsonValue, node: SchemaNode | undefined, schemas: SchemaResolver): unknown {
  if (typeof value !== 'number' && typeof value !== 'object') return value;
  const shape = node && schemas.shape(node);
  if (typeof value === 'number') return Number.isInteger(value) && !shape?.double ? BigInt(value) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const converted = celValue(v, shape?.items, schemas);
      if (converted !== v) (out ??= [...value])[i] = converted;
    });
    return out ?? value;
  }
  if (!isObject(value)) return value;
  // copied only when something differs: most subtrees are strings under plain names
  let out: JsonObject | undefined;
  const keys = Object.keys(value);
  keys.forEach((k, i) => {
    const v = value[k]!;
    const p = shape?.byName.get(k);
    const kept = p ? v !== null || p.nullable : !shape || shape.properties.length === 0 || shape.preserveUnknown;
    if (!kept) {
      out ??= copied(value, keys, i);
      return;
    }
    const converted = celValue(v, p ? p.node : shape?.values, schemas) as JsonValue;
    const names = p ? p.celNames : [k];
    if (converted !== v || names.length !== 1 || names[0] !== k) out ??= copied(value, keys, i);
    if (out) for (const name of names) setKey(out, name, converted);
  });
  for (const p of shape?.defaulted ?? []) {
    const v = hasKey(value, p.name) ? value[p.name] : null;
    if (v !== null || p.nullable) continue;
    out ??= copied(value, keys, keys.length);
    const converted = celValue(p.default!, p.node, schemas) as JsonValue;
    for (const name of p.celNames) setKey(out, name, converted);
  }
  return out ?? value;
}

/** A new object with the first `count` keys of `value`, which were kept as they are. */
function copied(value: JsonObject, keys: string[], count: number): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < count; i++) setKey(out, keys[i]!, value[keys[i]!]!);
  return out;
}

export function typesOf(node: SchemaNode | undefined): readonly JsonValue[] {
  const type = node?.type;
  return Array.isArray(type) ? type : type === undefined ? [] : [type];
}

/** Words the CEL grammar reserves; a property so named is `__word__` (newer API servers also take the bare word). */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const ESCAPES: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * The names a rule reaches a declared property by, as Kubernetes escapes them: `__`, `.`, `-`
 * and `/` spelled out, reserved words wrapped; a name with any other character is unreachable.
 */
function celNames(name: string): string[] {
  if (RESERVED.has(name)) return [`__${name}__`, name];
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !name.includes('__')) return [name];
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return [];
  return [name.replace(/__|[./-]/g, (c) => ESCAPES[c]!)];
}

/**
 * A view of a CEL value that records whether evaluation read a string still holding a template
 * variable — such a rule's outcome is unknown until the variable is set. Objects and lists are
 * read through proxies; presence tests that do not read the value (`has()` on most paths) do
 * not count.
 */
export function watchingVariables(value: unknown, holdsVariable: (v: unknown) => boolean): { view: unknown; readVariable: () => boolean } {
  let read = holdsVariable(value);
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    let proxy = proxies.get(v);
    if (!proxy) {
      proxy = new Proxy(v, {
        get(target, key, receiver) {
          const got: unknown = Reflect.get(target, key, receiver);
          if (holdsVariable(got)) read = true;
          return wrap(got);
        },
      });
      proxies.set(v, proxy);
    }
    return proxy;
  };
  return { view: wrap(value), readVariable: () => read };
}
