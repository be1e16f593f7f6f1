import type { JsonObject } from '../engine/json.js';
import type { SchemaEntry } from '../schemas/catalog.js';
import type { UngradedFinding } from './finding.js';

/**
 * Where CEL evaluation plugs in: the schema check hands every object that has a schema to
 * an evaluator together with the schema, whose `x-kubernetes-validations` keywords hold the
 * rules. An evaluator reports only rules it evaluated to false; rules it cannot evaluate (and
 * transition rules, which need `oldSelf`) are skipped, never reported.
 */
export interface CelEvaluator {
  evaluate(entry: SchemaEntry, object: JsonObject): UngradedFinding[];
}

/** Until a CEL engine exists: rules are kept in the schemas but not evaluated. */
export const celNotEvaluated: CelEvaluator = { evaluate: () => [] };
