import type { JsonValue } from '../json/value.js';
import type { ResourceKey } from '../kubernetes/resource-key.js';
import { Resource } from '../engine/resource.js';
import type { KindOverrides, SchemaCatalog } from '../schemas/catalog.js';
import type { CelEvaluator } from './cel/evaluator.js';
import { SchemaCompiler } from '../schemas/compiled-schemas.js';
import type { RuleSetting } from './config.js';
import { findingResource, type FileLine, type Finding, type Severity } from './finding.js';
import { isBadInputRule } from './rule-registry.js';
import { RULES } from './rules/index.js';
import { createdObjects } from './rules/created-objects.js';
import { ResourceIndex } from './rules/resource-index.js';
import type { Rule } from './rules/rule.js';
import { SchemaChecker, type MissingSchemaPolicy } from './schema-check.js';
import { SourceLocator } from './source-map.js';
import { substituteVars, type Vars } from './template-vars.js';
import { overridden, unitCatalog } from './unit-schemas.js';

export interface ValidateOptions {
  /** `--var` / `--vars-file` values substituted before any check. */
  vars: Vars;
  strictVars: boolean;
  /** References to objects absent from the set are errors rather than warnings. */
  strictRefs: boolean;
  missingSchemas: MissingSchemaPolicy;
  /** `.capifleet.yaml` rules: id → off or a severity. */
  rules: ReadonlyMap<string, RuleSetting>;
  cel?: CelEvaluator;
}

/** One set of objects checked together: an overlay's build, a manifest file, or stdin. */
export interface ValidationUnit {
  /** How reports name it (a path relative to the working directory, or `-`). */
  name: string;
  resources: readonly Resource[];
  /** Where findings point when a resource has no source (generated objects): the kustomization file. */
  fallbackLocation?: FileLine;
  /** Objects created for this unit outside its manifests (a cluster's bootstrap source): present for references. */
  created?: readonly ResourceKey[];
  /** Its cluster gets Flux from a FluxInstance (its entry point says so), whether or not the unit holds it. */
  fluxOperator?: boolean;
}

/**
 * The validation core: substitutes template variables, checks each object against its schema,
 * runs every cross-resource rule over the set, grades findings by configuration and points each
 * at the file and line a person must edit. Pure but for the schema cache and lazy line maps.
 */
export class Validator {
  private readonly schemas: SchemaChecker;
  private readonly compiler: SchemaCompiler;
  readonly locator: SourceLocator;

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly options: ValidateOptions,
    edges: { compiler?: SchemaCompiler; locator?: SourceLocator } = {},
  ) {
    this.compiler = edges.compiler ?? new SchemaCompiler();
    this.schemas = this.checkerOf(catalog);
    this.locator = edges.locator ?? new SourceLocator();
  }

  private checkerOf(catalog: SchemaCatalog): SchemaChecker {
    return new SchemaChecker(catalog, this.compiler, {
      missingSchemas: this.options.missingSchemas,
      strictVars: this.options.strictVars,
      ...(this.options.cel ? { cel: this.options.cel } : {}),
    });
  }

  /**
   * Every finding of a unit. `objectFindings`, when given, are its objects' own findings
   * (objectFindings below) made earlier — by a result cache, file by file — so only the set is
   * checked here, and the objects whose kinds the set serves otherwise than its files alone (the
   * CRDs and the FluxInstance of other files, see unitCatalog).
   */
  validate(unit: ValidationUnit, objectFindings?: readonly Finding[]): Finding[] {
    const resources = unit.resources.map((r) => this.substituted(r));
    const catalog = unitCatalog(this.catalog, resources, unit.fluxOperator);
    return [...this.objectsChecked(unit, resources, catalog, objectFindings), ...this.checkSet(unit, resources)];
  }

  /** Findings about each object alone (schema, CEL): what a file's objects give whatever else is checked with them. */
  objectFindings(unit: ValidationUnit): Finding[] {
    const resources = unit.resources.map((r) => this.substituted(r));
    return this.checkObjects(unit, resources, unitCatalog(this.catalog, resources, unit.fluxOperator));
  }

  private objectsChecked(unit: ValidationUnit, resources: readonly Resource[], catalog: KindOverrides | undefined, given: readonly Finding[] | undefined): Finding[] {
    if (!given) return this.checkObjects(unit, resources, catalog);
    if (!catalog) return [...given];
    const again = resources.filter((r) => overridden(catalog, r.apiVersion, r.kind));
    if (again.length === 0) return [...given];
    return [...given.filter((f) => !f.resource || !overridden(catalog, f.resource.apiVersion, f.resource.kind)), ...this.checkObjects(unit, again, catalog)];
  }

  private checkObjects(unit: ValidationUnit, resources: readonly Resource[], catalog: KindOverrides | undefined): Finding[] {
    const schemas = catalog ? this.checkerOf(catalog) : this.schemas;
    return resources.flatMap((r) => schemas.check(r.obj).flatMap((f) => this.finding(unit, r, f.ruleId, f.severity, f)));
  }

  private checkSet(unit: ValidationUnit, resources: readonly Resource[]): Finding[] {
    const context = { index: new ResourceIndex(resources, [...createdObjects(resources), ...(unit.created ?? [])]) };
    return RULES.flatMap((rule) => {
      if (this.options.rules.get(rule.meta.id) === 'off') return [];
      return rule.check(context).flatMap((f) => this.finding(unit, f.resource, rule.meta.id, this.ruleSeverity(rule), f));
    });
  }

  /** A graded finding pointing at its source line; none when configuration silences its rule. */
  private finding(
    unit: ValidationUnit,
    r: Resource,
    ruleId: string,
    severity: Severity,
    f: { message: string; path?: string; expected?: string; actual?: string },
  ): Finding[] {
    const graded = this.grade(ruleId, severity);
    if (!graded) return [];
    const location = this.locator.locate(r, f.path, unit.fallbackLocation);
    return [
      {
        ruleId,
        severity: graded,
        message: f.message,
        overlay: unit.name,
        resource: findingResource(r),
        ...(f.path !== undefined ? { path: f.path } : {}),
        ...(f.expected !== undefined ? { expected: f.expected } : {}),
        ...(f.actual !== undefined ? { actual: f.actual } : {}),
        ...(location ? { location } : {}),
      },
    ];
  }

  /** Grades findings made outside the validator (about the input) by the same configuration. */
  graded(findings: readonly Finding[]): Finding[] {
    return findings.flatMap((f) => {
      if (isBadInputRule(f.ruleId)) return [f];
      const severity = this.grade(f.ruleId, f.severity);
      return severity ? [{ ...f, severity }] : [];
    });
  }

  /** A file's objects are checked alone, then with their set: their variables are substituted once. */
  private readonly substitutions = new WeakMap<object, JsonValue>();

  private substituted(r: Resource): Resource {
    let obj = this.substitutions.get(r.obj);
    if (obj === undefined) this.substitutions.set(r.obj, (obj = substituteVars(r.obj, this.options.vars)));
    return obj === r.obj ? r : new Resource(obj as Resource['obj'], r.state);
  }

  private ruleSeverity(rule: Rule): Severity {
    return rule.meta.reference && this.options.strictRefs ? 'error' : rule.meta.defaultSeverity;
  }

  /** Configuration re-grades or silences a rule; undefined means off. */
  private grade(ruleId: string, severity: Severity): Severity | undefined {
    const setting = this.options.rules.get(ruleId);
    if (setting === 'off') return undefined;
    return setting ?? severity;
  }
}
