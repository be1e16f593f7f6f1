import type { ErrorObject } from 'ajv';
import { describeValue, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { parseApiVersion } from '../kubernetes/resource-key.js';
import { containsSopsEncryptedValue, isSopsEncrypted, isSopsEncryptedValue, withoutSopsMetadata } from '../kubernetes/sops.js';
import type { SchemaCatalog } from '../schemas/catalog.js';
import { replacementFor, preferredApiVersion } from './api-versions.js';
import type { CelEvaluator } from './cel/evaluator.js';
import type { SchemaCompiler } from '../schemas/compiled-schemas.js';
import type { Severity } from './finding.js';
import { fieldPath, joinPointer, valueAt } from '../json/pointer.js';
import { holdsVariable } from './template-vars.js';

export type MissingSchemaPolicy = 'error' | 'warn' | 'ignore';

export interface SchemaCheckOptions {
  missingSchemas: MissingSchemaPolicy;
  /** Check values that still hold `${VAR}` like any other value. */
  strictVars: boolean;
  cel?: CelEvaluator;
}

/** A schema check's finding, graded by its own default; the engine adds resource and location. */
export interface SchemaFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  path?: string;
  expected?: string;
  actual?: string;
}

/**
 * Checks of a value itself. A value still holding a template variable is exempt: its final value
 * is unknown; so is a value SOPS encrypted, in an object SOPS encrypted. So is null: the API
 * server drops a null it cannot store (CRD pruning, Go's JSON decoding), which is why upstream
 * templates write `matchLabels: null`.
 */
const VALUE_KEYWORDS = new Set([
  'type', 'format', 'pattern', 'enum', 'const', 'minLength', 'maxLength', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'anyOf', 'oneOf',
]);

/** Checks one object against the catalog's schema for its apiVersion and kind. */
export class SchemaChecker {
  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly compiler: SchemaCompiler,
    private readonly options: SchemaCheckOptions,
  ) {}

  check(obj: JsonObject): SchemaFinding[] {
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const entry = this.catalog.lookup(apiVersion, kind);
    if (!entry) return this.unknownVersion(apiVersion, kind);
    const findings: SchemaFinding[] = [];
    if (entry.deprecated) {
      const use = preferredApiVersion(this.catalog, parseApiVersion(apiVersion).group, kind);
      findings.push({
        ruleId: 'schema/deprecated-version',
        severity: 'warning',
        message: `${apiVersion} ${kind} is deprecated${use && use !== apiVersion ? `; migrate to ${use}` : ''}`,
        path: '/apiVersion',
        actual: apiVersion,
        ...(use && use !== apiVersion ? { expected: use } : {}),
      });
    }
    // checked as Flux applies it, decrypted: without the sops block, its encrypted values unknown
    const encrypted = isSopsEncrypted(obj);
    const applied = encrypted ? withoutSopsMetadata(obj) : obj;
    const data = withoutBigInts(applied);
    const validate = this.compiler.validatorFor(entry);
    if (!validate(data)) findings.push(...this.mapErrors(validate.errors ?? [], data, encrypted));
    // as the API server, which does not run CEL over values of the wrong type
    if (this.options.cel && !findings.some((f) => f.ruleId === 'schema/type')) {
      for (const f of this.options.cel.evaluate(entry, applied)) {
        // a rule over a value SOPS encrypted judged the ciphertext, not the value
        if (encrypted && f.path !== undefined && containsSopsEncryptedValue(valueAt(data, f.path) ?? null)) continue;
        findings.push({ ruleId: 'schema/cel', severity: 'error', ...f });
      }
    }
    return findings;
  }

  /** No schema for this apiVersion: a removed version of a known kind, or a kind we know nothing of. */
  private unknownVersion(apiVersion: string, kind: string): SchemaFinding[] {
    const replacement = replacementFor(this.catalog, parseApiVersion(apiVersion).group, kind);
    if (replacement.known) {
      const by = replacement.servedBy ? ` by ${replacement.servedBy}` : ' (removed or never released)';
      return [
        {
          ruleId: 'schema/removed-version',
          severity: 'error',
          message: replacement.use
            ? `${apiVersion} ${kind} is not served${by}; use ${replacement.use}`
            : `${apiVersion} ${kind} is not served${by} and has no replacement`,
          path: '/apiVersion',
          actual: apiVersion,
          ...(replacement.use ? { expected: replacement.use } : {}),
        },
      ];
    }
    if (this.options.missingSchemas === 'ignore') return [];
    return [
      {
        ruleId: 'schema/missing',
        severity: this.options.missingSchemas === 'error' ? 'error' : 'warning',
        message: `no schema for ${apiVersion} ${kind}; import its CRD with 'capifleet schemas import'`,
      },
    ];
  }

  /** `encrypted`: the object is SOPS-encrypted, so a value SOPS encrypted may be anything once decrypted. */
  private mapErrors(errors: readonly ErrorObject[], data: JsonValue, encrypted: boolean): SchemaFinding[] {
    const out: SchemaFinding[] = [];
    const consumed = new Set<ErrorObject>();
    // ajv lists an alternative's branch errors before the anyOf/oneOf error that sums them up
    for (const e of errors) {
      if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
      for (const b of errors) if (b !== e && b.schemaPath.startsWith(`${e.schemaPath}/`)) consumed.add(b);
    }
    for (const e of errors) {
      if (consumed.has(e)) continue;
      const value = valueAt(data, e.instancePath);
      if (VALUE_KEYWORDS.has(e.keyword) && (value === null || (!this.options.strictVars && holdsVariable(value)) || (encrypted && isSopsEncryptedValue(value)))) continue;
      const branches = errors.filter((b) => b !== e && b.schemaPath.startsWith(`${e.schemaPath}/`));
      out.push(findingFor(e, value, branches));
    }
    return out;
  }
}

function findingFor(e: ErrorObject, value: JsonValue | undefined, branches: ErrorObject[]): SchemaFinding {
  const at = e.instancePath;
  const actual = describeValue(value);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const path = joinPointer(at, String(p.additionalProperty));
      return { ruleId: 'schema/unknown-field', severity: 'error', path, message: `unknown field "${fieldPath(path)}"` };
    }
    case 'required': {
      const path = joinPointer(at, String(p.missingProperty));
      return { ruleId: 'schema/required-field', severity: 'error', path, message: `missing required field "${fieldPath(path)}"` };
    }
    case 'type': {
      const expected = String(p.type).split(',').join(' or ');
      return { ruleId: 'schema/type', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: expected ${expected}, got ${actual}` };
    }
    case 'enum': {
      const expected = `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      return { ruleId: 'schema/enum', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: ${actual} is not ${expected}` };
    }
    case 'pattern': {
      const expected = `a string matching ${String(p.pattern)}`;
      return { ruleId: 'schema/pattern', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: ${actual} does not match ${String(p.pattern)}` };
    }
    case 'format': {
      const expected = `format ${String(p.format)}`;
      return { ruleId: 'schema/format', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: ${actual} is not a valid ${String(p.format)}` };
    }
    case 'anyOf':
    case 'oneOf':
      return alternativesFinding(e, actual, branches);
    case 'x-kubernetes-list-type': {
      const path = joinPointer(at, Number(p.index));
      return { ruleId: 'schema/value', severity: 'error', path, actual: describeValue(valueAt(value ?? null, `/${Number(p.index)}`)), message: `${fieldPath(path)}: duplicate entry in a list whose items must be unique` };
    }
    default: {
      const expected = e.message ?? e.keyword;
      return { ruleId: 'schema/value', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: ${expected}` };
    }
  }
}

/**
 * int-or-string and "set one of these fields" schemas are alternatives; one finding says what
 * each branch wanted rather than every branch's failure.
 */
function alternativesFinding(e: ErrorObject, actual: string, branches: ErrorObject[]): SchemaFinding {
  const at = e.instancePath;
  const here = branches.filter((b) => b.instancePath === at);
  let expected: string;
  if (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas != null) {
    expected = 'exactly one of the allowed alternatives';
  } else if (here.length === branches.length && here.every((b) => b.keyword === 'type')) {
    expected = [...new Set(here.flatMap((b) => String((b.params as { type: string }).type).split(',')))].join(' or ');
  } else if (here.length === branches.length && here.every((b) => b.keyword === 'required')) {
    expected = `one of the fields ${here.map((b) => String((b.params as { missingProperty: string }).missingProperty)).join(', ')}`;
  } else {
    expected = `one of: ${[...new Set(branches.map((b) => `${fieldPath(b.instancePath)} ${b.message ?? b.keyword}`))].join('; ')}`;
  }
  return { ruleId: 'schema/alternatives', severity: 'error', path: at, expected, actual, message: `${fieldPath(at)}: expected ${expected}, got ${actual}` };
}

/** ajv knows no bigint; integers beyond 2^53 are checked as the nearest number. */
function withoutBigInts<T extends JsonValue>(value: T): T {
  if (typeof value === 'bigint') return Number(value) as T;
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined;
    value.forEach((v, i) => {
      const next = withoutBigInts(v);
      if (next !== v) (out ??= [...value])[i] = next;
    });
    return (out ?? value) as T;
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    // for-in rather than Object.entries: no pair per key, and this walk visits every object checked
    for (const k in value) {
      const v = value[k]!;
      const next = withoutBigInts(v);
      if (next !== v) setKey((out ??= { ...value }), k, next);
    }
    return (out ?? value) as T;
  }
  return value;
}
