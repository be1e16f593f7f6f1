import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { Ajv, AnySchema, KeywordCxt, ValidateFunction } from 'ajv';
import { writeFileAtomic } from '../cli/io.js';
import { compileKustomizationSchema } from '../engine/kustomization.js';
import { kustomizationSchema } from '../engine/kustomization-schema.js';
import { ajvLibrary } from '../libraries.js';
import type { SchemaEntry } from '../schemas/catalog.js';
import { sha256 } from '../schemas/store.js';
import { RUNTIME_NAME, schemaRuntime } from './schema-runtime.js';

/** Changes whenever compile options or the runtime change, so stale cached code is never loaded. */
const COMPILER_VERSION = 'v2';
const requireFromHere = createRequire(import.meta.url);
const AJV_VERSION: string = requireFromHere('ajv/package.json').version;

/** ajv's standalone code generator, loaded only to fill the cache. */
function standaloneCode(ajv: Ajv, validate: ValidateFunction): string {
  const generate = requireFromHere('ajv/dist/standalone/index.js') as { default: (ajv: Ajv, validate: ValidateFunction) => string };
  return generate.default(ajv, validate);
}

let kustomizationKey: string | undefined;

/** The part of a compiled validator the schema check reads. */
export type SchemaValidator = ValidateFunction;

/**
 * Compiles each schema once per process, keyed by its content hash; with a cache directory, also
 * keeps the generated code on disk (ajv standalone code, one file per hash) so later runs skip
 * compilation entirely, and V8's compiled form of that code (saveCodeCaches) so they skip
 * parsing it too — the code of a large CRD is hundreds of kilobytes.
 */
export class SchemaCompiler {
  private readonly compiled = new Map<string, SchemaValidator>();
  /** Code loaded this run without a usable V8 code cache: where its cache goes, and the script. */
  private readonly uncached: { file: string; script: vm.Script }[] = [];
  private ajvInstance: Ajv | undefined;
  private readonly root: string | undefined;
  private readonly dir: string | undefined;

  constructor(options: { cacheDir?: string } = {}) {
    this.root = options.cacheDir;
    this.dir = options.cacheDir ? path.join(options.cacheDir, `ajv-${AJV_VERSION}-${COMPILER_VERSION}`) : undefined;
  }

  validatorFor(entry: SchemaEntry): SchemaValidator {
    return this.cached(entry.hash, () => {
      const ajv = this.ajv();
      return { ajv, validate: ajv.compile(entry.schema as AnySchema) };
    });
  }

  /** The kustomization file check (see the engine's kustomization.ts), cached like any schema's code. */
  kustomizationCheck(): SchemaValidator {
    kustomizationKey ??= `kustomization-${sha256(JSON.stringify(kustomizationSchema))}`;
    return this.cached(kustomizationKey, () => compileKustomizationSchema(this.dir !== undefined));
  }

  private cached(key: string, compile: () => { ajv: Ajv; validate: ValidateFunction }): SchemaValidator {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.loadCached(key);
      if (!v) {
        const { ajv, validate } = compile();
        if (this.dir) this.store(key, standaloneCode(ajv, validate));
        v = validate;
      }
      this.compiled.set(key, v);
    }
    return v;
  }

  private cacheFile(key: string): string {
    return path.join(this.dir!, `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.cjs`);
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
      // the code's own digest names its V8 cache: V8 checks little more than the source's length
      const codeCacheFile = path.join(this.dir, `${sha256(code).slice(0, 32)}.v8`);
      const cachedData = readIfPresent(codeCacheFile);
      const script = new vm.Script(`(function (require, module, exports, ${RUNTIME_NAME}) {${code}\n})`, {
        filename: this.cacheFile(hash),
        ...(cachedData ? { cachedData } : {}),
      });
      if (!cachedData || script.cachedDataRejected) this.uncached.push({ file: codeCacheFile, script });
      const module = { exports: {} as { default?: SchemaValidator } };
      (script.runInThisContext() as (...args: unknown[]) => void)(requireFromHere, module, module.exports, schemaRuntime);
      return module.exports.default;
    } catch {
      // a damaged cache file is recompiled and rewritten
      return undefined;
    }
  }

  /**
   * Writes V8's code cache of the cached code loaded this run, including the functions compiled
   * while validating, so the next run neither parses nor compiles them. Best after validating.
   */
  saveCodeCaches(): void {
    for (const { file, script } of this.uncached.splice(0)) {
      try {
        writeFileAtomic(file, script.createCachedData());
      } catch {
        // a read-only checkout still validates, only slower
      }
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

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function createAjv(withSource: boolean): Ajv {
  const { _ } = ajvLibrary();
  const ajv = new (ajvLibrary().Ajv)({
    allErrors: true,
    strict: false,
    logger: false,
    validateSchema: false,
    addUsedSchema: false,
    unicodeRegExp: false,
    code: {
      source: withSource,
      regExp: schemaRuntime.goRegExp,
      // ajv's code optimizer doubles the compile time of a large CRD and barely speeds its checks
      optimize: false,
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
  const { _, Name, stringify } = ajvLibrary();
  if (schema !== 'map' && schema !== 'set') return;
  if (schema === 'set' && parentSchema.uniqueItems === true) return;
  const keys = parentSchema['x-kubernetes-list-map-keys'] ?? null;
  const fn = gen.scopeValue('func', { ref: schemaRuntime.firstDuplicate, code: _`${new Name(RUNTIME_NAME)}.firstDuplicate` });
  const index = gen.const('dup', _`${fn}(${data}, ${schema}, ${stringify(keys)})`);
  cxt.setParams({ index });
  cxt.fail(_`${index} >= 0`);
}
