import type { Resource } from '../../engine/resource.js';
import type { Severity } from '../finding.js';
import type { ResourceIndex } from './resource-index.js';

export interface RuleMeta {
  /** Stable id, used in configuration, reports and SARIF. */
  id: string;
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  doc: string;
  /**
   * The rule reports references to objects absent from the rendered set. Such an object may be
   * created elsewhere (e.g. by `flux bootstrap`), so these findings become errors only with
   * `--strict-refs`.
   */
  reference?: boolean;
}

/** What a rule says about one resource; the engine grades it and points it at the source. */
export interface RuleFinding {
  resource: Resource;
  message: string;
  /** JSON pointer of the offending field in the rendered resource. */
  path?: string;
  expected?: string;
  actual?: string;
}

export interface RuleContext {
  /** Every resource of the set, in order, by kind, name and namespace. */
  index: ResourceIndex;
}

/** A cross-resource check over the whole rendered set of one overlay. */
export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): RuleFinding[];
}
