import { hasKey, isObject, type JsonObject, type JsonValue } from '../../json/value.js';
import type { SchemaEntry } from '../../schemas/catalog.js';
import type { UngradedFinding } from '../finding.js';
import { fieldPath, joinPointer } from '../../json/pointer.js';
import { containsVariable, holdsVariable } from '../template-vars.js';
import { firstLine, program, type Runnable } from './programs.js';
import { ruleSites, type RuleSite, type ValidationRule } from './rule-sites.js';
import { celValue, SchemaResolver, watchingVariables } from './values.js';

/**
 * Where CEL evaluation plugs in: the schema check hands every object that has a schema to
 * an evaluator together with the schema, whose `x-kubernetes-validations` keywords hold the
 * rules. An evaluator reports only rules it evaluated to false; rules it cannot evaluate (and
 * transition rules, which need `oldSelf`) are skipped, never reported.
 */
export interface CelEvaluator {
  evaluate(entry: SchemaEntry, object: JsonObject): UngradedFinding[];
}

export interface CelRuleOptions {
  /** Rules over values that still hold `${VAR}` are reported like any other. */
  strictVars: boolean;
  /** Told once per rule that is skipped, and why (for CAPIFLEET_DEBUG). */
  onSkip?: (note: string) => void;
}

interface SchemaRules {
  root: RuleSite;
  schemas: SchemaResolver;
}

/**
 * Evaluates CRD validation rules as the API server does on create: each rule with `self` bound
 * to the value at its schema node, once per list item or map value under `items` /
 * `additionalProperties`, not at all where the value is absent. A rule that does not compile, is
 * a transition rule, or fails at run time (the API server would have typed it away) is skipped.
 * A rule that fails only by reading a value that still holds `${VAR}` is not reported.
 */
export class CelRules implements CelEvaluator {
  private readonly bySchema = new Map<string, SchemaRules | null>();
  private readonly noted = new Set<string>();

  constructor(private readonly options: CelRuleOptions) {}

  evaluate(entry: SchemaEntry, object: JsonObject): UngradedFinding[] {
    const rules = this.rulesOf(entry);
    if (!rules) return [];
    const findings: UngradedFinding[] = [];
    this.visit(rules.root, object, [], rules.schemas, findings);
    return findings;
  }

  private rulesOf(entry: SchemaEntry): SchemaRules | null {
    let rules = this.bySchema.get(entry.hash);
    if (rules === undefined) {
      const root = entry.schema as JsonObject;
      const schemas = new SchemaResolver(root);
      const site = ruleSites(root, schemas);
      rules = site ? { root: site, schemas } : null;
      this.bySchema.set(entry.hash, rules);
    }
    return rules;
  }

  /** `path`: the tokens down to `value`, joined into a pointer only for a finding. */
  private visit(site: RuleSite, value: JsonValue | undefined, path: (string | number)[], schemas: SchemaResolver, findings: UngradedFinding[]): void {
    if (value === undefined || value === null) return;
    let self: unknown;
    for (const rule of site.rules) {
      const compiled = program(rule.rule);
      if ('skip' in compiled) {
        this.skipped(rule, compiled.skip);
        continue;
      }
      self ??= celValue(value, site.node, schemas);
      const result = this.run(rule, compiled, self);
      if (result !== false) continue;
      if (!this.options.strictVars && containsVariable(value) && readsVariable(compiled, self)) continue;
      findings.push(this.finding(rule, self, path.reduce<string>(joinPointer, '')));
    }
    const descend = (child: RuleSite, token: string | number, v: JsonValue): void => {
      path.push(token);
      this.visit(child, v, path, schemas, findings);
      path.pop();
    };
    if (isObject(value)) {
      for (const [name, child] of site.properties) if (hasKey(value, name)) descend(child, name, value[name]!);
      if (site.values) for (const [k, v] of Object.entries(value)) descend(site.values, k, v);
    }
    if (Array.isArray(value) && site.items) value.forEach((v, i) => descend(site.items!, i, v));
  }

  /** true, false, or undefined when the rule could not be evaluated on this value. */
  private run(rule: ValidationRule, compiled: Runnable, self: unknown): boolean | undefined {
    try {
      const result = compiled.run(self);
      if (typeof result === 'boolean') return result;
      this.skipped(rule, `evaluates to ${typeof result}, not a bool`);
    } catch (e) {
      this.skipped(rule, firstLine(e instanceof Error ? e.message : String(e)));
    }
    return undefined;
  }

  private finding(rule: ValidationRule, self: unknown, pointer: string): UngradedFinding {
    const path = pointer + fieldPathPointer(rule.fieldPath);
    return { path, message: `${fieldPath(path)}: ${this.message(rule, self)}` };
  }

  /** The rule's messageExpression when it yields a one-line text, else its message, else the rule. */
  private message(rule: ValidationRule, self: unknown): string {
    if (rule.messageExpression !== undefined) {
      const compiled = program(rule.messageExpression);
      if ('run' in compiled) {
        try {
          const text = compiled.run(self);
          if (typeof text === 'string' && text.trim() !== '' && !text.includes('\n')) return text;
        } catch {
          // falls back like the API server does
        }
      }
    }
    return rule.message ?? `failed rule: ${rule.rule.trim()}`;
  }

  private skipped(rule: ValidationRule, reason: string): void {
    if (!this.options.onSkip) return;
    const note = `CEL rule skipped (${reason}): ${rule.rule.trim()}`;
    if (this.noted.has(note)) return;
    this.noted.add(note);
    this.options.onSkip(note);
  }
}

/** Whether a rule's outcome depends on a value still holding a template variable. */
function readsVariable(compiled: Runnable, self: unknown): boolean {
  const watched = watchingVariables(self, holdsVariable);
  try {
    compiled.run(watched.view);
  } catch {
    return true;
  }
  return watched.readVariable();
}

/**
 * A rule's fieldPath (`.spec.replicas`, `.labels['app.io/name']`, `.items[0]`) as JSON pointer
 * tokens after the rule's node; one that does not parse points at the node itself.
 */
export function fieldPathPointer(path: string | undefined): string {
  if (!path) return '';
  let pointer = '';
  const step = /\.([A-Za-z_][\w-]*)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[(\d+)\]/y;
  let at = 0;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) return '';
    pointer = joinPointer(pointer, m[1] ?? (m[2] ?? m[3])?.replace(/\\(.)/g, '$1') ?? m[4]!);
    at = step.lastIndex;
  }
  return pointer;
}
