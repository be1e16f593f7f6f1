import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { FORMATS } from './formats.js';
import type { Schema } from './convert.js';
import type { StoredSchema } from './store.js';

/**
 * JSON Schemas of the core Kubernetes kinds, derived from the `kubernetes-models` package.
 *
 * WHY probing: kubernetes-models 4.x (the line that runs on Node 20) ships its OpenAPI schemas
 * only as compiled ajv validators, one module per definition, and they accept unknown fields.
 * To get strict JSON Schemas we run each definition's validator on probe values and read back
 * what it checks: the property names it reads off a recording proxy (and, from the stack, which
 * definition module reads them, which marks a reference to that definition), the types,
 * enums, formats and required properties its errors name. The result is one self-contained
 * schema per kind with the definitions it reaches, unknown fields rejected.
 */

const require = createRequire(import.meta.url);
/** The source project of the core kinds' schemas. */
export const KUBERNETES_MODELS_PROJECT = 'kubernetes-models';
const PACKAGE = KUBERNETES_MODELS_PROJECT;
const SCHEMA_MODULE = /[\\/](kubernetes-models|@kubernetes-models[\\/]apimachinery)[\\/]_schemas[\\/](\w+)\.js/;
const MISSING = Symbol('probe');

interface ProbeError {
  instancePath: string;
  keyword: string;
  params: { type?: string | string[]; missingProperty?: string; allowedValues?: unknown[]; format?: string };
}
type Validate = ((data: unknown) => boolean) & { errors?: ProbeError[] | null };

export function kubernetesModelsVersion(): string {
  return (require(`${PACKAGE}/package.json`) as { version: string }).version;
}

/**
 * The Kubernetes release the package's schemas are generated from, which the package does not
 * record in itself: its CHANGELOG says 4.5.0 "Update schema version to v1.33.0", and 4.5.1 only
 * updated a dependency. Bundling with another line of the package stops until this is updated.
 */
const KUBERNETES_RELEASE_OF_MODELS: Readonly<Record<string, string>> = { '4.5': '1.33' };

/** "Kubernetes 1.33": the release the core kinds' schemas come from, as people name it. */
export function kubernetesRelease(): string {
  const line = kubernetesModelsVersion().split('.').slice(0, 2).join('.');
  const release = KUBERNETES_RELEASE_OF_MODELS[line];
  if (release === undefined) throw new BuildError(`which Kubernetes release kubernetes-models ${kubernetesModelsVersion()} models is not recorded; add it to KUBERNETES_RELEASE_OF_MODELS`);
  return `Kubernetes ${release}`;
}

/**
 * API versions the package still models but Kubernetes no longer serves (by the release that
 * removed them), left out of the catalog so the validator reports them as removed and suggests
 * a served version.
 */
export const REMOVED_KUBERNETES_API_VERSIONS: Readonly<Record<string, string>> = {
  'extensions/v1beta1': '1.22',
  'apps/v1beta1': '1.16',
  'apps/v1beta2': '1.16',
  'admissionregistration.k8s.io/v1beta1': '1.22',
  'apiextensions.k8s.io/v1beta1': '1.22',
  'apiregistration.k8s.io/v1beta1': '1.22',
  'authentication.k8s.io/v1beta1': '1.22',
  'authorization.k8s.io/v1beta1': '1.22',
  'certificates.k8s.io/v1beta1': '1.22',
  'coordination.k8s.io/v1beta1': '1.22',
  'networking.k8s.io/v1beta1': '1.22',
  'rbac.authorization.k8s.io/v1beta1': '1.22',
  'scheduling.k8s.io/v1beta1': '1.22',
  'storage.k8s.io/v1beta1': '1.27',
  'batch/v1beta1': '1.25',
  'discovery.k8s.io/v1beta1': '1.25',
  'events.k8s.io/v1beta1': '1.25',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'policy/v1beta1': '1.25',
  'node.k8s.io/v1beta1': '1.25',
  'flowcontrol.apiserver.k8s.io/v1beta1': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta2': '1.29',
  'flowcontrol.apiserver.k8s.io/v1beta3': '1.32',
};

/** Every served kind (List kinds aside) the package models, with its schema. */
export function deriveKubernetesSchemas(): StoredSchema[] {
  const root = path.dirname(require.resolve(PACKAGE));
  const version = kubernetesModelsVersion();
  const files = modelFiles(root);
  const prober = new DefinitionProber(files);
  const out: StoredSchema[] = [];
  for (const modelFile of files) {
    const model = require(modelFile) as Record<string, { apiVersion?: unknown; kind?: unknown }>;
    const cls = Object.values(model)[0];
    if (!cls || typeof cls.apiVersion !== 'string' || typeof cls.kind !== 'string' || cls.kind.endsWith('List')) continue;
    if (REMOVED_KUBERNETES_API_VERSIONS[cls.apiVersion] !== undefined) continue;
    const definition = modelDefinition(modelFile);
    if (!definition) continue;
    out.push({
      apiVersion: cls.apiVersion,
      kind: cls.kind,
      deprecated: false,
      source: { project: PACKAGE, tag: version, file: `_schemas/${definition}.js` },
      schema: prober.kindSchema(definition),
    });
  }
  return out;
}

/** <group>/<version>/<Kind>.js model modules (core: v1/<Kind>.js), in name order. */
function modelFiles(root: string): string[] {
  const dirs = (d: string) => fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('_')).map((e) => e.name).sort();
  const models = (d: string) => fs.readdirSync(d).sort().filter((f) => f.endsWith('.js') && f !== 'index.js').map((f) => path.join(d, f));
  const versionDirs = dirs(root).flatMap((group) => (/^v\d/.test(group) ? [path.join(root, group)] : dirs(path.join(root, group)).map((v) => path.join(root, group, v))));
  return versionDirs.flatMap(models);
}

/** Declared types of CRD schema positions that also take a boolean or a list (see schemaOr). */
const SCHEMA_OR = /^I(IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaPropsOr(Bool|Array|StringArray))$/;

/** The schema definition a model module validates with. */
function modelDefinition(modelFile: string): string | undefined {
  return /_schemas\/(\w+)(?:\.js)?"/.exec(fs.readFileSync(modelFile, 'utf8'))?.[1];
}

/**
 * Property names and TypeScript types each definition's interface declares, from the model
 * modules' type declarations (`"name"?: type;` lines of the first interface).
 */
function declaredProperties(modelFiles: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const modelFile of modelFiles) {
    const definition = modelDefinition(modelFile);
    const declarations = modelFile.replace(/\.js$/, '.d.ts');
    if (!definition || !fs.existsSync(declarations)) continue;
    const body = /export interface I\w+(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/.exec(fs.readFileSync(declarations, 'utf8'))?.[1] ?? '';
    out.set(definition, new Map([...body.matchAll(/^ {4}"?([\w$-]+)"?\??: (.*?);?$/gm)].map((m) => [m[1]!, m[2]!])));
  }
  return out;
}

class DefinitionProber {
  private readonly definitions = new Map<string, Schema>();
  private readonly declared: Map<string, Map<string, string>>;
  /** The property names each definition's module reads at its root, to tell a self-reference from an inlined definition. */
  private readonly rootKeys = new Map<string, string>();

  constructor(modelFiles: readonly string[]) {
    this.declared = declaredProperties(modelFiles);
  }
  private readonly quantityPattern = (require('@kubernetes-models/validate') as { formats: Record<string, { validate: unknown }> }).formats.quantity?.validate;

  /** The kind's schema: its definition at the root, every definition it reaches under `definitions`. */
  kindSchema(definition: string): Schema {
    const root = this.definition(definition);
    const reached = new Map<string, Schema>();
    const visit = (s: unknown): void => {
      if (Array.isArray(s)) return s.forEach(visit);
      if (typeof s !== 'object' || s === null) return;
      for (const [k, v] of Object.entries(s)) {
        if (k === '$ref' && typeof v === 'string') {
          const name = v.slice('#/definitions/'.length);
          if (!reached.has(name)) {
            reached.set(name, this.definitions.get(name)!);
            visit(this.definitions.get(name));
          }
        } else visit(v);
      }
    };
    visit(root);
    const definitions = Object.fromEntries([...reached].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, ...(reached.size ? { definitions } : {}) };
  }

  private definition(name: string): Schema {
    const known = this.definitions.get(name);
    if (known) return known;
    const placeholder: Schema = {};
    this.definitions.set(name, placeholder); // recursive definitions refer to it while probing
    const validate = this.validator(name);
    Object.assign(placeholder, this.valueSchema(validate, (x) => x, '', name));
    this.addUnprobedProperties(name, placeholder);
    return placeholder;
  }

  /**
   * The package's generator strips `description` and `x-kubernetes-*` keys from its OpenAPI input
   * even where they are property names, so JSONSchemaProps' validator never reads `description`,
   * `x-kubernetes-validations`... although every CRD writes them. Its type declarations still
   * name them: such properties get their schema from the declared type.
   */
  private addUnprobedProperties(name: string, schema: Schema): void {
    const properties = schema.properties as Record<string, Schema> | undefined;
    if (!properties || schema.additionalProperties !== false) return;
    for (const [property, type] of this.declared.get(name) ?? []) {
      if (!(property in properties) || SCHEMA_OR.test(type)) properties[property] = this.declaredTypeSchema(type);
    }
  }

  /**
   * JSONSchemaPropsOrBool / OrArray / OrStringArray: a schema, or a boolean / a list of schemas /
   * a list of strings. The package types them as bare objects, which left a CRD's `items` and
   * `additionalProperties` schemas unchecked. As one node (properties constrain only objects,
   * items only arrays) a wrong key inside is reported at its own path.
   */
  private schemaOr(definition: string, alternative: string): string {
    const schemaProps = this.definition(definition.replace(/Or\w+$/, ''));
    const other: Schema = alternative === 'Bool' ? { type: 'boolean' } : { type: 'array', items: alternative === 'Array' ? { $ref: `#/definitions/${definition.replace(/Or\w+$/, '')}` } : { type: 'string' } };
    this.definitions.set(definition, { type: ['object', other.type as string], properties: schemaProps.properties, additionalProperties: false, ...(other.items ? { items: other.items } : {}) });
    return definition;
  }

  /** A declared TypeScript type as a schema (properties nullable like probed ones); anything else unconstrained. */
  private declaredTypeSchema(type: string, nullable = true): Schema {
    const types = (t: string) => (nullable ? [t, 'null'] : t);
    const scalar = { string: 'string', boolean: 'boolean', number: 'number' }[type];
    if (scalar) return { type: types(scalar) };
    const literals = [...type.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    if (literals.length > 0 && type.replace(/"[^"]*"|\s|\|/g, '') === '') return { type: types('string'), enum: nullable ? [...literals, null] : literals };
    const item = /^Array<(.*)>$/.exec(type)?.[1];
    if (item !== undefined) return { type: types('array'), items: this.declaredTypeSchema(item, false) };
    const or = SCHEMA_OR.exec(type);
    if (or) return { $ref: `#/definitions/${this.schemaOr(or[1]!, or[2]!)}` };
    const reference = /^I(IoK8s\w+)$/.exec(type)?.[1];
    if (reference !== undefined) {
      this.definition(reference);
      return { $ref: `#/definitions/${reference}` };
    }
    return {};
  }

  /** The package's own definitions, then the apimachinery ones (ObjectMeta, Quantity, ...) it depends on. */
  private readonly schemaDirs = [PACKAGE, '@kubernetes-models/apimachinery'].map((pkg) => {
    const main = createRequire(require.resolve(PACKAGE)).resolve(pkg);
    return path.join(path.dirname(main), '_schemas');
  });

  private validator(name: string): Validate {
    const file = this.schemaDirs.map((dir) => path.join(dir, `${name}.js`)).find((f) => fs.existsSync(f));
    if (!file) throw new Error(`kubernetes-models: no schema module ${name}`);
    return (require(file) as { validate: Validate }).validate;
  }

  /**
   * The schema of the value at `at` (a JSON pointer) when the validator runs on place(value).
   * `owner` is the definition whose module checks this position.
   */
  private valueSchema(validate: Validate, place: (x: unknown) => unknown, at: string, owner: string): Schema {
    const run = (x: unknown): ProbeError[] => {
      validate(place(x));
      return validate.errors ?? [];
    };
    // An object: which module reads its properties tells whether it is a reference.
    const reads = recordReads((rec) => run(rec));
    const reader = reads.find((r) => r.module !== undefined)?.module;
    // An object read by its own module below the root is either the definition referring to
    // itself (JSONSchemaProps), reading the same properties as at the root, or a definition the
    // package's compiler inlined (StatefulSetSpec's PersistentVolumeClaim templates), probed here.
    const keys = [...new Set(reads.map((r) => r.key))].join();
    if (at === '') this.rootKeys.set(owner, keys);
    const selfReference = reader === owner && at !== '' && this.rootKeys.get(owner) === keys;
    if (reader !== undefined && (reader !== owner || selfReference)) {
      this.definition(reader);
      // null is not offered for objects, as the CRD converter does not unless nullable: clearer errors
      return { $ref: `#/definitions/${reader}` };
    }
    const typeErrors = run(MISSING).filter((e) => e.instancePath === at && e.keyword === 'type');
    const types = [...new Set(typeErrors.flatMap((e) => e.params.type ?? []))];
    if (types.length === 0) return {};
    const nullable = !run(null).some((e) => e.instancePath === at && e.keyword === 'type');
    const out: Schema = { type: nullable ? [...types, 'null'] : types.length === 1 ? types[0] : types };

    if (types.includes('object')) {
      const names = [...new Set(reads.map((r) => r.key))];
      if (names.length > 0) {
        const properties: Schema = {};
        for (const name of names) {
          properties[name] = this.valueSchema(validate, (x) => place({ [name]: x }), `${at}/${name}`, owner);
        }
        const required = [...new Set(run({}).filter((e) => e.instancePath === at && e.keyword === 'required').map((e) => e.params.missingProperty!))];
        if (required.length) out.required = required;
        out.properties = properties;
        out.additionalProperties = false;
      } else {
        const value = this.valueSchema(validate, (x) => place({ probe: x }), `${at}/probe`, owner);
        if (Object.keys(value).length) out.additionalProperties = value;
      }
    }
    if (types.includes('array')) out.items = this.valueSchema(validate, (x) => place([x]), `${at}/0`, owner);
    if (types.includes('string')) {
      const errors = run('\u0000').filter((e) => e.instancePath === at);
      const allowed = errors.find((e) => e.keyword === 'enum')?.params.allowedValues;
      if (allowed) out.enum = nullable ? [...allowed, null] : allowed;
      const format = errors.find((e) => e.keyword === 'format')?.params.format;
      if (format === 'quantity' && this.quantityPattern instanceof RegExp) out.pattern = this.quantityPattern.source;
      else if (format && FORMATS[format]?.pattern) out.pattern = FORMATS[format]!.pattern;
    }
    if (types.includes('integer')) {
      const format = run(2 ** 40).find((e) => e.instancePath === at && e.keyword === 'format')?.params.format;
      const range = format ? FORMATS[format] : undefined;
      if (range?.minimum !== undefined) Object.assign(out, { minimum: range.minimum, maximum: range.maximum });
    }
    return out;
  }
}

interface Read {
  key: string;
  /** the definition module whose code read the key */
  module: string | undefined;
}

/** Runs fn with a proxy that records every property read on it and which schema module read it. */
function recordReads(fn: (recorder: object) => void): Read[] {
  const reads: Read[] = [];
  const recorder = new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key === 'string') reads.push({ key, module: SCHEMA_MODULE.exec(new Error().stack ?? '')?.[2] });
        return undefined;
      },
    },
  );
  fn(recorder);
  return reads;
}
