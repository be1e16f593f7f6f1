import { isObject } from '../../json/value.js';
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
  return new RuleSiteWalker(root, schemas).site(root);
}

const KEYWORD = 'x-kubernetes-validations';

class RuleSiteWalker {
  private readonly done = new Map<SchemaNode, RuleSite | undefined>();
  private readonly walking = new Set<SchemaNode>();
  private readonly mentioning = new Map<object, boolean>();
  private readonly definitionsMention: boolean;

  constructor(
    root: SchemaNode,
    private readonly schemas: SchemaResolver,
  ) {
    this.definitionsMention = this.mentions(root.definitions);
  }

  site(node: SchemaNode | undefined): RuleSite | undefined {
    if (!node || this.walking.has(node) || !this.mentions(node)) return undefined;
    if (this.done.has(node)) return this.done.get(node);
    this.walking.add(node);
    const parts = this.schemas.parts(node);
    const rules = parts.flatMap((p) => validationRules(p[KEYWORD]));
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

  /**
   * Whether the keyword appears in a subtree's JSON (or it refers to definitions and some
   * definition has it): most schemas, and most of the others, have no rules, and a scan spares
   * walking them. Field names that look like the keyword only cost a walk that finds nothing.
   */
  private mentions(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    let known = this.mentioning.get(value);
    if (known === undefined) {
      const obj = value as Record<string, unknown>;
      known =
        (!Array.isArray(value) && (Object.hasOwn(obj, KEYWORD) || (typeof obj.$ref === 'string' && this.definitionsMention))) ||
        Object.values(obj).some((v) => this.mentions(v));
      this.mentioning.set(value, known);
    }
    return known;
  }
}

function validationRules(value: unknown): ValidationRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is ValidationRule => isObject(r) && typeof r.rule === 'string');
}
