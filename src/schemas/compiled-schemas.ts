import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { Ajv, AnySchema, KeywordCxt, ValidateFunction } from 'ajv';
import { printDebug } from '../debug.js';
import { keyedHash, readRegularFile, sha256, usableCacheDir, writeFileAtomic } from '../files.js';
import { compileKustomizationSchema } from '../engine/kustomization.js';
import { kustomizationSchema } from '../engine/kustomization-schema.js';
import { ajvLibrary } from '../libraries.js';
import { DIST_DIR } from '../package-root.js';
import type { SchemaEntry } from './catalog.js';
import { RUNTIME_NAME, schemaRuntime } from './schema-runtime.js';

/** Changes whenever compile options or the runtime change, so stale cached code is never loaded. */
const COMPILER_VERSION = 'v2';
const requireFromHere = createRequire(import.meta.url);
const AJV_VERSION: string = requireFromHere('ajv/package.json').version;
const CODE_DIR = `ajv-${AJV_VERSION}-${COMPILER_VERSION}`;

/**
 * The bundled schemas' code, written by the build (scripts/precompile-schemas.mjs) into dist/ in the
 * same layout as a project's cache, so a first run compiles none of them.
 */
export const SHIPPED_CODE_ROOT = path.join(DIST_DIR, 'compiled-schemas');

/** ajv's standalone code generator, loaded only to fill the cache. */
function standaloneCode(ajv: Ajv, validate: ValidateFunction): string {
  const generate = requireFromHere('ajv/dist/standalone/index.js') as { default: (ajv: Ajv, validate: ValidateFunction) => string };
  return generate.default(ajv, validate);
}

let kustomizationKey: string | undefined;

function kustomizationCacheKey(): string {
  kustomizationKey ??= `kustomization-${sha256(JSON.stringify(kustomizationSchema))}`;
  return kustomizationKey;
}

function codeFile(dir: string, key: string): string {
  return path.join(dir, `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.cjs`);
}

/** V8's compiled form of a schema's code, and the file it is kept in. */
export interface CodeCache {
  file: string;
  data: Uint8Array;
}

/** The part of a compiled validator the schema check reads. */
export type SchemaValidator = ValidateFunction;

/**
 * Compiles each schema once per process, keyed by its content hash; with a cache directory, also
 * keeps the generated code on disk (ajv standalone code, one file per hash) so later runs skip
 * compilation entirely, and V8's compiled form of that code (saveCodeCaches) so they skip
 * parsing it too — the code of a large CRD is hundreds of kilobytes. Code shipped with the
 * package (shippedRoot, same layout) is read first; being found by hash, it serves only the
 * schema it was generated from.
 */
export class SchemaCompiler {
  private readonly compiled = new Map<string, SchemaValidator>();
  /** Code loaded this run without a usable V8 code cache: where its cache goes, and the script. */
  private readonly uncached: { file: string; script: vm.Script }[] = [];
  private ajvInstance: Ajv | undefined;
  private readonly root: string | undefined;
  private readonly dir: string | undefined;
  /** Where code is looked for, in order: the shipped code, then the project's cache. */
  private readonly codeDirs: string[];
  /** Schemas compiled by ajv in this process, as opposed to loaded as code. */
  compilations = 0;

  /** Keys the names of the cache's files (see userCacheSecret), so only code this user's runs wrote is loaded from it. */
  private readonly secret: string | undefined;

  constructor(options: { cacheDir?: string; shippedRoot?: string; secret?: string } = {}) {
    this.secret = options.secret;
    this.root = options.cacheDir;
    this.dir = options.cacheDir ? usableCacheDir(path.join(options.cacheDir, CODE_DIR)) : undefined;
    const shipped = path.join(options.shippedRoot ?? SHIPPED_CODE_ROOT, CODE_DIR);
    this.codeDirs = [...new Set([shipped, ...(this.dir ? [this.dir] : [])])];
  }

  validatorFor(entry: SchemaEntry): SchemaValidator {
    return this.cached(entry.hash, () => this.compileSchema(entry));
  }

  /** The kustomization file check (see the engine's kustomization.ts), cached like any schema's code. */
  kustomizationCheck(): SchemaValidator {
    return this.cached(kustomizationCacheKey(), () => compileKustomizationSchema(this.dir !== undefined));
  }

  private compileSchema(entry: SchemaEntry): { ajv: Ajv; validate: ValidateFunction } {
    const ajv = this.ajv();
    return { ajv, validate: ajv.compile(entry.schema as AnySchema) };
  }

  private cached(key: string, compile: () => { ajv: Ajv; validate: ValidateFunction }): SchemaValidator {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.loadCached(key) ?? this.compileAndStore(key, compile);
      this.compiled.set(key, v);
    }
    return v;
  }

  private compileAndStore(key: string, compile: () => { ajv: Ajv; validate: ValidateFunction }): SchemaValidator {
    this.compilations++;
    const { ajv, validate } = compile();
    if (this.dir) this.store(key, standaloneCode(ajv, validate));
    return validate;
  }

  private loadCached(key: string): SchemaValidator | undefined {
    for (const dir of this.codeDirs) {
      const v = this.loadCode(codeFile(dir, dir === this.dir ? this.cacheName(key) : key));
      if (v) return v;
    }
    return undefined;
  }

  private loadCode(file: string): SchemaValidator | undefined {
    const code = readIfPresent(file)?.toString('utf8');
    if (code === undefined) return undefined;
    try {
      // the code's own digest names its V8 cache: V8 checks little more than the source's length
      const codeCacheFile = this.dir ? path.join(this.dir, `${this.cacheName(sha256(code)).slice(0, 32)}.v8`) : undefined;
      const cachedData = codeCacheFile ? readIfPresent(codeCacheFile) : undefined;
      const script = new vm.Script(`(function (require, module, exports, ${RUNTIME_NAME}) {${code}\n})`, {
        filename: file,
        ...(cachedData ? { cachedData } : {}),
      });
      if (codeCacheFile && (!cachedData || script.cachedDataRejected)) this.uncached.push({ file: codeCacheFile, script });
      const module = { exports: {} as { default?: SchemaValidator } };
      (script.runInThisContext() as (...args: unknown[]) => void)(requireFromHere, module, module.exports, schemaRuntime);
      return module.exports.default;
    } catch {
      printDebug(`${file}: damaged; compiled again`);
      return undefined;
    }
  }

  /**
   * Makes the cache directory hold the code of exactly these schemas and the kustomization check,
   * compiling only those whose code is missing (the build ships the bundled schemas' code this way,
   * so a rebuild compiles only changed schemas). Returns how many it compiled.
   */
  precompile(entries: readonly SchemaEntry[]): number {
    if (!this.root || !this.dir) throw new Error('precompile needs a cache directory');
    const before = this.compilations;
    const wanted = new Set<string>();
    const want = (key: string, compile: () => { ajv: Ajv; validate: ValidateFunction }) => {
      const file = codeFile(this.dir!, this.cacheName(key));
      wanted.add(path.basename(file));
      if (!fs.existsSync(file)) this.compileAndStore(key, compile);
    };
    fs.mkdirSync(this.dir, { recursive: true });
    for (const entry of entries) want(entry.hash, () => this.compileSchema(entry));
    want(kustomizationCacheKey(), () => compileKustomizationSchema(true));
    // store() forgives a failed write, a build must not
    for (const name of wanted) if (!fs.existsSync(path.join(this.dir, name))) throw new Error(`precompile: ${name} was not written`);
    for (const name of fs.readdirSync(this.dir)) if (!wanted.has(name)) fs.rmSync(path.join(this.dir, name));
    // other compiler versions' code, and a .gitignore (as a project's cache has), which would keep this code out of the package
    for (const name of fs.readdirSync(this.root)) if (name !== CODE_DIR) fs.rmSync(path.join(this.root, name), { recursive: true });
    return this.compilations - before;
  }

  /**
   * V8's code cache of the cached code loaded this run, including the functions compiled while
   * validating, so the next run neither parses nor compiles them; taken once. Best after validating.
   */
  takeCodeCaches(): CodeCache[] {
    return this.uncached.splice(0).map(({ file, script }) => ({ file, data: script.createCachedData() }));
  }

  /** Writes this compiler's code caches (takeCodeCaches) and those other threads' compilers took, one per file. */
  saveCodeCaches(others: readonly CodeCache[] = []): void {
    const written = new Set<string>();
    for (const { file, data } of [...this.takeCodeCaches(), ...others]) {
      if (written.has(file)) continue;
      written.add(file);
      try {
        writeFileAtomic(file, data);
      } catch {
        // a read-only checkout still validates, only slower
      }
    }
  }

  private store(key: string, code: string): void {
    try {
      writeFileAtomic(codeFile(this.dir!, this.cacheName(key)), code);
    } catch {
      // a read-only checkout still validates, only slower
    }
  }

  /** The name of a cache file for `key`: keyed with the secret when there is one (the shipped code has none). */
  private cacheName(key: string): string {
    return this.secret ? keyedHash(this.secret, key) : key;
  }

  private ajv(): Ajv {
    this.ajvInstance ??= createAjv(this.dir !== undefined);
    return this.ajvInstance;
  }
}

/** A cache file's bytes; none when it is missing, unreadable or not a regular file (a FIFO would block), so it is rebuilt. */
function readIfPresent(file: string): Buffer | undefined {
  try {
    return readRegularFile(file);
  } catch (e) {
    printDebug(`${file}: ${(e as Error).message}; the cache is rebuilt`);
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
