import { isObject } from '../../engine/json.js';
import type { SchemaNode, SchemaResolver } from './values.js';

/** One `x-kubernetes-validations` entry of a schema (the converter keeps these fields). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

/**
 * The part of a schema that holds CEL rules: the rules at a node and the children under which
 * more are found, nothing else — an object whose schema has no rules costs one lookup.
 */
export interface RuleSite {
  node: SchemaNode;
  rules: ValidationRule[];
  properties: [string, RuleSite][];
  /** rules for each list item */
  items?: RuleSite;
  /** rules for each value of a map (`additionalProperties`) */
  values?: RuleSite;
}

/**
 * Walks a schema by keyword (`properties/<name>`, `items`, `additionalProperties`, `allOf`, local
 * `$ref`s) and returns where its rules are, or undefined when it has none. A definition that
 * refers to itself is followed once.
 */
export function ruleSites(root: SchemaNode, schemas: SchemaResolver): RuleSite | undefined {
  // most schemas have no rules: a scan of the JSON (definitions included) spares walking them
  return mentions(root, 'x-kubernetes-validations') ? new RuleSiteWalker(schemas).site(root) : undefined;
}

/** Whether a key appears anywhere in a JSON value; field names that look like it only cost a walk that finds nothing. */
function mentions(value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) && Object.hasOwn(value, key)) return true;
  for (const v of Object.values(value)) if (mentions(v, key)) return true;
  return false;
}

class RuleSiteWalker {
  private readonly done = new Map<SchemaNode, RuleSite | undefined>();
  private readonly walking = new Set<SchemaNode>();

  constructor(private readonly schemas: SchemaResolver) {}

  site(node: SchemaNode | undefined): RuleSite | undefined {
    if (!node || this.walking.has(node)) return undefined;
    if (this.done.has(node)) return this.done.get(node);
    this.walking.add(node);
    const parts = this.schemas.parts(node);
    const rules = parts.flatMap((p) => validationRules(p['x-kubernetes-validations']));
    const properties: [string, RuleSite][] = [];
    const shape = this.schemas.shape(node);
    for (const p of shape.properties) {
      const child = this.site(p.node);
      if (child) properties.push([p.name, child]);
    }
    const items = this.site(shape.items);
    const values = this.site(shape.values);
    this.walking.delete(node);
    const site: RuleSite | undefined =
      rules.length > 0 || properties.length > 0 || items || values
        ? { node, rules, properties, ...(items ? { items } : {}), ...(values ? { values } : {}) }
        : undefined;
    this.done.set(node, site);
    return site;
  }
}

function validationRules(value: unknown): ValidationRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is ValidationRule => isObject(r) && typeof r.rule === 'string');
}
