import { hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../../engine/json.js';

/** A node of a bundled schema (see src/schemas/README.md): only keywords are read from it. */
export type SchemaNode = JsonObject;

/**
 * Resolves the local `$ref`s of one whole-object schema (`#/definitions/<name>`: ObjectMeta in
 * CRD schemas, every type in core kinds) and gathers a node's `allOf` branches, which add
 * properties and rules to the value at that node.
 */
export class SchemaResolver {
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
    if (Array.isArray(node.allOf)) for (const b of node.allOf) {
      const branch = this.resolve(b);
      if (branch) out.push(...this.parts(branch));
    }
    return out;
  }

  /** The schema of one property of an object node, if the node declares it. */
  property(node: SchemaNode, name: string): SchemaNode | undefined {
    for (const part of this.parts(node)) {
      if (isObject(part.properties) && hasKey(part.properties, name)) return this.resolve(part.properties[name]);
    }
    return undefined;
  }

  /** A map node's value schema (`additionalProperties: {...}`). */
  mapValues(node: SchemaNode): SchemaNode | undefined {
    for (const part of this.parts(node)) if (isObject(part.additionalProperties)) return this.resolve(part.additionalProperties);
    return undefined;
  }

  /** The declared properties of an object node, all `allOf` branches together. */
  properties(node: SchemaNode): [string, SchemaNode][] {
    const out: [string, SchemaNode][] = [];
    for (const part of this.parts(node)) {
      if (!isObject(part.properties)) continue;
      for (const [name, p] of Object.entries(part.properties)) {
        const resolved = this.resolve(p);
        if (resolved) out.push([name, resolved]);
      }
    }
    return out;
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
  if (typeof value === 'number') return Number.isInteger(value) && !typesOf(node).includes('number') ? BigInt(value) : value;
  if (Array.isArray(value)) {
    const items = node && schemas.resolve(node.items);
    return value.map((v) => celValue(v, items, schemas));
  }
  if (!isObject(value)) return value;
  const declared = node ? schemas.properties(node) : [];
  if (declared.length === 0) {
    const values = node && schemas.mapValues(node);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, celValue(v, values, schemas) as JsonValue);
    return out;
  }
  const out: JsonObject = {};
  for (const [name, p] of declared) {
    let v = hasKey(value, name) ? value[name] : undefined;
    if (v === null && !nullable(p)) v = undefined;
    if (v === undefined && p.default !== undefined) v = p.default;
    if (v === undefined) continue;
    const converted = celValue(v, p, schemas) as JsonValue;
    for (const celName of celNames(name)) setKey(out, celName, converted);
  }
  if (node?.['x-kubernetes-preserve-unknown-fields'] === true) {
    const known = new Set(declared.map(([name]) => name));
    for (const [k, v] of Object.entries(value)) if (!known.has(k)) setKey(out, k, celValue(v, undefined, schemas) as JsonValue);
  }
  return out;
}

export function typesOf(node: SchemaNode | undefined): readonly JsonValue[] {
  const type = node?.type;
  return Array.isArray(type) ? type : type === undefined ? [] : [type];
}

function nullable(node: SchemaNode): boolean {
  return typesOf(node).includes('null');
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
