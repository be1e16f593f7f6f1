import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { _, Ajv, Name, stringify, type AnySchema, type KeywordCxt, type ValidateFunction } from 'ajv';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { writeFileAtomic } from '../cli/io.js';
import type { SchemaEntry } from '../schemas/catalog.js';
import { RUNTIME_NAME, schemaRuntime } from './schema-runtime.js';

/** Changes whenever compile options or the runtime change, so stale cached code is never loaded. */
const COMPILER_VERSION = 'v1';
const requireFromHere = createRequire(import.meta.url);
const AJV_VERSION: string = requireFromHere('ajv/package.json').version;
const standaloneCode = ((standaloneCodeModule as unknown as { default?: unknown }).default ?? standaloneCodeModule) as (
  ajv: Ajv,
  validate: ValidateFunction,
) => string;

/** The part of a compiled validator the schema check reads. */
export type SchemaValidator = ValidateFunction;

/**
 * Compiles each schema once per process, keyed by its content hash; with a cache directory, also
 * keeps the generated code on disk (ajv standalone code, one file per hash) so later runs skip
 * compilation entirely.
 */
export class SchemaCompiler {
  private readonly compiled = new Map<string, SchemaValidator>();
  private ajvInstance: Ajv | undefined;
  private readonly root: string | undefined;
  private readonly dir: string | undefined;

  constructor(options: { cacheDir?: string } = {}) {
    this.root = options.cacheDir;
    this.dir = options.cacheDir ? path.join(options.cacheDir, `ajv-${AJV_VERSION}-${COMPILER_VERSION}`) : undefined;
  }

  validatorFor(entry: SchemaEntry): SchemaValidator {
    let v = this.compiled.get(entry.hash);
    if (!v) {
      v = this.loadCached(entry.hash) ?? this.compile(entry);
      this.compiled.set(entry.hash, v);
    }
    return v;
  }

  private compile(entry: SchemaEntry): SchemaValidator {
    const ajv = this.ajv();
    const validate = ajv.compile(entry.schema as AnySchema);
    if (this.dir) this.store(entry.hash, standaloneCode(ajv, validate));
    return validate;
  }

  private cacheFile(hash: string): string {
    return path.join(this.dir!, `${hash.replace(/[^A-Za-z0-9_-]/g, '_')}.cjs`);
  }

  private loadCached(hash: string): SchemaValidator | undefined {
    if (!this.dir) return undefined;
    let code: string;
    try {
      code = fs.readFileSync(this.cacheFile(hash), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const module = { exports: {} as { default?: SchemaValidator } };
      new Function('require', 'module', 'exports', RUNTIME_NAME, code)(requireFromHere, module, module.exports, schemaRuntime);
      return module.exports.default;
    } catch {
      // a damaged cache file is recompiled and rewritten
      return undefined;
    }
  }

  private store(hash: string, code: string): void {
    try {
      writeFileAtomic(this.cacheFile(hash), code);
      // generated code is no project content: keep it out of version control
      const ignore = path.join(this.root!, '.gitignore');
      if (!fs.existsSync(ignore)) writeFileAtomic(ignore, '*\n');
    } catch {
      // a read-only checkout still validates, only slower
    }
  }

  private ajv(): Ajv {
    this.ajvInstance ??= createAjv(this.dir !== undefined);
    return this.ajvInstance;
  }
}

function createAjv(withSource: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    logger: false,
    validateSchema: false,
    addUsedSchema: false,
    unicodeRegExp: false,
    code: {
      source: withSource,
      regExp: schemaRuntime.goRegExp,
    },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'string',
    code: listTypeCode,
    error: {
      message: 'must not have duplicate items',
      params: ({ params }) => _`{index: ${params.index}}`,
    },
  });
  return ajv;
}

/** Duplicate items of a `map` or `set` list, unless plain `uniqueItems` already checks them. */
function listTypeCode(cxt: KeywordCxt): void {
  const { gen, data, schema, parentSchema } = cxt;
  if (schema !== 'map' && schema !== 'set') return;
  if (schema === 'set' && parentSchema.uniqueItems === true) return;
  const keys = parentSchema['x-kubernetes-list-map-keys'] ?? null;
  const fn = gen.scopeValue('func', { ref: schemaRuntime.firstDuplicate, code: _`${new Name(RUNTIME_NAME)}.firstDuplicate` });
  const index = gen.const('dup', _`${fn}(${data}, ${schema}, ${stringify(keys)})`);
  cxt.setParams({ index });
  cxt.fail(_`${index} >= 0`);
}
