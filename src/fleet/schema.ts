import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describeValue, type JsonValue } from '../json/value.js';
import { ajvLibrary } from '../libraries.js';
import { BUNDLED_SCHEMAS_DIR, type SchemaEntry } from '../schemas/catalog.js';
import { sha256 } from '../files.js';
import { SchemaCompiler } from '../schemas/compiled-schemas.js';
import { fieldPath, joinPointer, valueAt } from '../json/pointer.js';

import { nameProblem } from './names.js';
import type { SpecSource } from './source.js';

/**
 * The JSON Schema of fleet.yaml, its path inside the npm package: the contract editors check
 * against (`# yaml-language-server: $schema=...`) and the first check loadFleet makes.
 */
export const FLEET_SCHEMA_PACKAGE_PATH = 'schemas/fleet/v1alpha1.json';

/** The schema file of this installation (BUNDLED_SCHEMAS_DIR is the package's schemas/ folder). */
export const FLEET_SCHEMA_FILE = path.resolve(BUNDLED_SCHEMAS_DIR, '..', FLEET_SCHEMA_PACKAGE_PATH);

/**
 * The spec's schema as an entry of the schema code store: the build precompiles it with the
 * bundled Kubernetes schemas (scripts/precompile-schemas.mjs), so a run loads its validation code
 * instead of loading ajv and compiling the schema.
 */
export function fleetSchemaEntry(): SchemaEntry {
  const text = fs.readFileSync(FLEET_SCHEMA_FILE, 'utf8');
  return {
    apiVersion: 'capifleet.io/v1alpha1',
    kind: 'Fleet',
    schema: JSON.parse(text) as object,
    deprecated: false,
    hash: sha256(text),
    source: { project: 'capifleet', tag: 'v1alpha1', file: FLEET_SCHEMA_PACKAGE_PATH },
  };
}

let precompiled: ValidateFunction | undefined;
let explaining: ValidateFunction | undefined;

/** Whether the spec is valid, by the precompiled code. */
function validator(): ValidateFunction {
  precompiled ??= new SchemaCompiler().validatorFor(fleetSchemaEntry());
  return precompiled;
}

/**
 * The schema compiled at run time with what the messages need (each failing keyword's schema
 * object, `patternErrorMessage`): only a spec with a problem pays for it.
 */
function explainer(): ValidateFunction {
  if (explaining) return explaining;
  const ajv = new (ajvLibrary().Ajv)({ allErrors: true, verbose: true, strict: true });
  // an editor keyword (VS Code's JSON service): the message shown when `pattern` fails
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  explaining = ajv.compile(fleetSchemaEntry().schema);
  return explaining;
}

/** Rank of an error kind when several apply: a misspelt field also makes a required one missing; name the typo. */
const PRIORITY: Record<string, number> = { additionalProperties: 0, required: 2 };

/** Checks the spec against its JSON Schema; throws the first problem in the file as a BuildError. */
export function checkSchema(value: JsonValue, source: SpecSource): void {
  if (validator()(value)) return;
  const validate = explainer();
  if (validate(value)) return;
  const problems = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'propertyNames')
    .map((e) => ({ ...problemOf(e, value), priority: PRIORITY[e.keyword] ?? 1 }))
    .map((p) => ({ ...p, line: source.lineOf(p.pointer) ?? 0 }));
  problems.sort((a, b) => a.priority - b.priority || a.line - b.line);
  const first = problems[0]!;
  source.fail(first.message, first.pointer);
}

function problemOf(e: ErrorObject, root: JsonValue): { message: string; pointer: string } {
  const params = e.params as Record<string, unknown>;
  // an error about a map key (propertyNames) is reported at the key
  const key = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (key !== undefined) {
    const pointer = joinPointer(e.instancePath, key);
    return { pointer, message: `${fieldPath(e.instancePath)}: key ${JSON.stringify(key)} ${valueProblem(e, key)}` };
  }
  const at = e.instancePath;
  const value = valueAt(root, at);
  switch (e.keyword) {
    case 'additionalProperties': {
      const pointer = joinPointer(at, String(params.additionalProperty));
      const allowed = Object.keys(((e.parentSchema as { properties?: object }).properties ?? {}));
      return { pointer, message: `unknown field "${fieldPath(pointer)}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` };
    }
    case 'required':
      return { pointer: at, message: `${fieldPath(at)}: missing required field "${String(params.missingProperty)}"` };
    case 'type': {
      // `version: 1.10` is the number 1.1 to YAML; the fix is quotes
      const quote = params.type === 'string' && value !== null && typeof value !== 'object' ? ' (quote it to make it a string)' : '';
      return { pointer: at, message: `${fieldPath(at)}: expected ${String(params.type)}, got ${describeValue(value)}${quote}` };
    }
    case 'enum':
      return { pointer: at, message: `${fieldPath(at)}: ${describeValue(value)} is not one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: at, message: `${fieldPath(at)}: expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(value)}` };
    default:
      return { pointer: at, message: `${fieldPath(at)}: ${typeof value === 'string' ? JSON.stringify(value) : describeValue(value)} ${valueProblem(e, value)}` };
  }
}

/** What is wrong with a string (value or key) a pattern, length or bound check rejected. */
function valueProblem(e: ErrorObject, value: JsonValue | undefined): string {
  if (e.schemaPath.startsWith('#/definitions/dnsLabel/') && typeof value === 'string') {
    const problem = nameProblem(value);
    if (problem) return problem;
  }
  const parent = e.parentSchema as { patternErrorMessage?: string } | undefined;
  if (e.keyword === 'pattern' && parent?.patternErrorMessage) return parent.patternErrorMessage;
  return e.message ?? `fails ${e.keyword}`;
}
