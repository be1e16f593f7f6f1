import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { isWithin } from '../files.js';
import { Loader, type FileCache, type LoadRestrictor } from './loader.js';
import { ReadSet } from './read-set.js';
import { loadKustomization, type KustomizationCheck, type LoadedKustomization } from './kustomization.js';
import { readResourceFile, resourcesFromDocuments } from './resources.js';
import type { Origin, Resource } from './resource.js';
import { parseDocuments } from '../yaml/parse.js';
import { deepEqual, isObject } from '../json/value.js';
import { mergeSchemasFor } from './openapi-field.js';
import { MergeSchemaSet } from './merge/schema.js';
import { configureGenerator, configureTransformer, type PluginEnv } from './builtin-plugins.js';
import { ResMap } from './resmap.js';
import { sortTransformer } from './filters/sort.js';
import { buildMetadataFlags, builtinOrigin, recordTransformation, tracksOrigins, writeBuildMetadata } from './build-metadata.js';
import type { Kustomization, Transformer } from './types.js';
import { mergeTransformerConfigs, NO_TRANSFORMER_CONFIG, type TransformerConfig } from './config/transformer-config.js';
import { makeTransformerConfig } from './config/load.js';
import { loadCrdConfig } from './config/crds.js';
import { generateConfigMaps } from './generators/configmap.js';
import { generateSecrets } from './generators/secret.js';
import { absorbGenerated } from './generators/absorb.js';
import { inflateHelmChart } from './generators/helm.js';
import { namespaceTransformer } from './filters/namespace.js';
import { prefixTransformer, suffixTransformer } from './filters/prefix-suffix.js';
import { kustomizationLabelTransformers } from './filters/labels.js';
import { annotationsTransformer } from './filters/annotations.js';
import { replicaCountTransformer } from './filters/replicas.js';
import { imageTransformer } from './filters/images.js';
import { hashSuffixTransformer } from './filters/hash-suffix.js';
import { nameReferenceTransformer } from './filters/name-reference.js';
import { stringifyAnnotations } from './filters/annotation-strings.js';
import { loadReplacements, replacementTransformer } from './filters/replacements.js';
import { mergeVars, mergeVarSets, resolveVars, type VarSet } from './filters/vars.js';
import { patchesJson6902Transformer, patchesStrategicMergeTransformer, patchTransformer } from './filters/patch.js';

/** How a kustomization is built: what a person chooses on the command line. */
export interface BuildOptions {
  loadRestrictor?: LoadRestrictor;
  /** Run `helmCharts` through a helm binary. */
  enableHelm?: boolean;
  helmCommand?: string;
}

export interface RenderOptions extends BuildOptions {
  /** Receives kustomize's warnings (deprecated fields, unused vars); silent when absent. */
  onWarning?: (message: string, file?: string) => void;
  /** Share file reads and parses across many renders in one process. */
  fileCache?: FileCache;
  /** The kustomization file check, when the caller keeps compiled code (default: compiled in-process). */
  kustomizationCheck?: KustomizationCheck;
  /** Receives every path the build looks at, whether it succeeds or fails (see ReadSet). */
  reads?: ReadSet;
  /**
   * The kustomization of the top directory, instead of its kustomization file: Flux's
   * kustomize-controller builds one it generated, or the file rewritten with its own spec.
   */
  topKustomization?: (loader: Loader) => LoadedKustomization;
}

/** What a kustomization directory contributes to its parent: resources plus the rules to finish them. */
export interface Accumulation {
  resources: ResMap;
  /** Which fields each transformer touches: defaults, `configurations:` and `crds:` merged along the build. */
  config: TransformerConfig;
  /** Vars declared so far, by name, each bound to its resource. */
  vars: VarSet;
  /** Every kustomization directory that contributed, for cycle checks on a cached base. */
  roots: string[];
  /** The first `openapi` schema met in this tree, re-applied when a cached copy is used. */
  mergeSchemas?: MergeSchemaSet;
}

/** One kustomization directory in a build, with the chain of directories that led to it. */
class Target {
  constructor(
    readonly loader: Loader,
    readonly loaded: LoadedKustomization,
    readonly ctx: BuildContext,
    /** Roots of the kustomizations that include this one, outermost first. */
    readonly chain: readonly string[],
    /** This kustomization's directory relative to the top one, as origin annotations print it. */
    readonly originPath: string,
  ) {}

  /** Where this kustomization's own generators and transformers are configured, for origins. */
  get configuredIn(): string {
    return path.posix.join(this.originPath, this.loaded.fileName);
  }

  get k(): Kustomization {
    return this.loaded.kustomization;
  }

  /** kustomize's accumulateTarget: resources, config, generators, components, then transformers. */
  accumulate(acc: Accumulation): Accumulation {
    acc.roots.push(this.loader.root);
    if (this.k.openapi && Object.keys(this.k.openapi).length) {
      const besideBuiltin = !this.ctx.mergeSchemasChosen && this.ctx.unknownTypeRead;
      const schemas = this.errorAt(['openapi'], () => mergeSchemasFor(this.k.openapi, this.loader, besideBuiltin));
      adoptMergeSchemas(this.ctx, schemas);
      acc.mergeSchemas ??= schemas;
    }
    (this.k.resources ?? []).forEach((ref, i) => this.errorAt(['resources', i], () => this.accumulateResource(acc, ref)));
    this.errorAt(['configurations'], () => {
      acc.config = mergeTransformerConfigs(acc.config, makeTransformerConfig(this.loader, this.k.configurations));
    });
    this.errorAt(['crds'], () => {
      acc.config = mergeTransformerConfigs(acc.config, loadCrdConfig(this.loader, this.k.crds));
    });
    this.runGenerators(acc);
    (this.k.components ?? []).forEach((ref, i) => this.errorAt(['components', i], () => this.accumulateComponent(acc, ref)));
    for (const t of [...this.transformers(acc.config), ...this.pluginTransformers('transformers')]) {
      this.errorAt(t.at, () => t.run(acc.resources));
      if (this.ctx.tracking) recordTransformation(acc.resources, t.origin ?? builtinOrigin(this.configuredIn, t.kind));
    }
    this.runValidators(acc);
    this.errorAt(['vars'], () => mergeVars(acc.vars, this.k.vars ?? [], acc.resources));
    return acc;
  }

  /** ConfigMaps, then Secrets, then Helm charts; each generator's output is absorbed in turn. */
  private runGenerators(acc: Accumulation): void {
    const k = this.k;
    const generators: { kind: string; at: (string | number)[]; make: () => Resource[] }[] = [
      ...(k.configMapGenerator ?? []).map((g, i) => ({
        kind: 'ConfigMapGenerator',
        at: ['configMapGenerator', i],
        make: () => generateConfigMaps([g], k.generatorOptions, this.loader),
      })),
      ...(k.secretGenerator ?? []).map((g, i) => ({
        kind: 'SecretGenerator',
        at: ['secretGenerator', i],
        make: () => generateSecrets([g], k.generatorOptions, this.loader),
      })),
      ...(k.helmCharts ?? []).map((chart, i) => ({
        kind: 'HelmChartInflationGenerator',
        at: ['helmCharts', i],
        make: () => {
          // helm reads the chart's files itself: the read set cannot name them
          if (this.ctx.options.enableHelm) this.loader.reads.markPartial();
          return inflateHelmChart(chart, this.helmSettings(), this.loader);
        },
      })),
    ];
    for (const g of generators) {
      this.errorAt(g.at, () => {
        const made = g.make();
        if (this.ctx.tracking) for (const r of made) r.state.origin = builtinOrigin(this.configuredIn, g.kind);
        absorbGenerated(acc.resources, made);
      });
    }
    for (const { config, at, configuredIn } of this.pluginConfigs('generators')) {
      this.errorAt(at, () => {
        const made = configureGenerator(config, this.pluginEnv())();
        if (this.ctx.tracking) for (const r of made) r.state.origin = pluginOrigin(configuredIn, config);
        absorbGenerated(acc.resources, made);
      });
    }
  }

  /** Transformers configured in the `transformers:` (or `validators:`) list, in order. */
  private pluginTransformers(field: 'transformers' | 'validators'): ConfiguredTransformer[] {
    return this.pluginConfigs(field).map(({ config, at, configuredIn }) => ({
      kind: config.kind,
      at,
      run: this.errorAt(at, () => configureTransformer(config, this.pluginEnv())),
      origin: pluginOrigin(configuredIn, config),
    }));
  }

  /** Validators may look but not touch: kustomize fails a build whose validator changed anything. */
  private runValidators(acc: Accumulation): void {
    for (const v of this.pluginTransformers('validators')) {
      const before = acc.resources.clone();
      this.errorAt(v.at, () => v.run(before));
      const same = before.size === acc.resources.size && before.resources().every((r, i) => deepEqual(r.obj, acc.resources.resources()[i]!.obj));
      if (!same) throw new BuildError(`validator ${v.kind} shouldn't modify the resource map`, this.loaded.file, this.loaded.lineOf(v.at));
    }
  }

  /**
   * Plugin configs of a `generators:`/`transformers:`/`validators:` list: an entry is inline YAML,
   * a file of configs, or a kustomization directory whose output is configs. As in kustomize, the
   * inline configs come first, then those read from files and directories; each names where it
   * was configured (the kustomization file, or the file the config was read from) for origins.
   */
  private pluginConfigs(field: 'generators' | 'transformers' | 'validators'): PluginConfig[] {
    const inline: PluginConfig[] = [];
    const read: PluginConfig[] = [];
    (this.k[field] ?? []).forEach((entry, i) =>
      this.errorAt([field, i], () => {
        const at = [field, i];
        const configs = /[\n:]/.test(entry) && !this.loader.isFile(entry) ? tryInlineConfigs(entry, this.loaded.file) : undefined;
        if (configs) {
          for (const config of configs) inline.push({ config, at, configuredIn: this.configuredIn });
        } else if (this.loader.isFile(entry)) {
          const configuredIn = path.posix.join(this.originPath, entry);
          for (const config of readResourceFile(this.loader, entry)) read.push({ config, at, configuredIn });
        } else {
          for (const config of this.child(entry, field.slice(0, -1)).accumulate(emptyAccumulation()).resources.resources()) {
            read.push({ config, at, configuredIn: config.state.origin?.path ?? this.configuredIn });
          }
        }
      }),
    );
    return [...inline, ...read];
  }

  private pluginEnv(): PluginEnv {
    return { loader: this.loader, helm: this.helmSettings(), mergeSchemas: this.ctx.mergeSchemas };
  }

  private helmSettings(): Parameters<typeof inflateHelmChart>[1] {
    const o = this.ctx.options;
    return {
      enabled: o.enableHelm ?? false,
      command: o.helmCommand ?? 'helm',
      ...(this.k.helmGlobals?.chartHome ? { chartHome: this.k.helmGlobals.chartHome } : {}),
      ...(this.k.helmGlobals?.configHome ? { configHome: this.k.helmGlobals.configHome } : {}),
    };
  }

  /**
   * The builtin transformers this kustomization configures, in kustomize's fixed order. All are
   * configured (patch files read and parsed) before any runs, as in kustomize.
   */
  private transformers(config: TransformerConfig): ConfiguredTransformer[] {
    const k = this.k;
    const out: ConfiguredTransformer[] = [];
    const add = (kind: string, at: (string | number)[], make: () => Transformer): void => {
      out.push({ kind, at, run: this.errorAt(at, make) });
    };
    if (k.patchesStrategicMerge?.length) add('PatchStrategicMergeTransformer', ['patchesStrategicMerge'], () => patchesStrategicMergeTransformer(k.patchesStrategicMerge!, this.loader, this.ctx.mergeSchemas));
    (k.patches ?? []).forEach((p, i) => add('PatchTransformer', ['patches', i], () => patchTransformer([p], this.loader, this.ctx.mergeSchemas)));
    if (k.namespace) add('NamespaceTransformer', ['namespace'], () => namespaceTransformer(k.namespace!, config.namespace));
    if (k.namePrefix) add('PrefixTransformer', ['namePrefix'], () => prefixTransformer(k.namePrefix!, config.namePrefix));
    if (k.nameSuffix) add('SuffixTransformer', ['nameSuffix'], () => suffixTransformer(k.nameSuffix!, config.nameSuffix));
    if (k.labels?.length || (k.commonLabels && Object.keys(k.commonLabels).length)) {
      for (const t of kustomizationLabelTransformers(k.labels, k.commonLabels, config)) add('LabelTransformer', ['labels'], () => t);
    }
    if (k.commonAnnotations && Object.keys(k.commonAnnotations).length) {
      add('AnnotationsTransformer', ['commonAnnotations'], () => annotationsTransformer(k.commonAnnotations, config.commonAnnotations));
    }
    (k.patchesJson6902 ?? []).forEach((p, i) => add('PatchJson6902Transformer', ['patchesJson6902', i], () => patchesJson6902Transformer([p], this.loader)));
    (k.replicas ?? []).forEach((r, i) => add('ReplicaCountTransformer', ['replicas', i], () => replicaCountTransformer(r, config.replicas)));
    (k.images ?? []).forEach((img, i) => add('ImageTagTransformer', ['images', i], () => imageTransformer(img, config.images)));
    if (k.replacements?.length) add('ReplacementTransformer', ['replacements'], () => replacementTransformer(loadReplacements(k.replacements!, this.loader)));
    return out;
  }

  private accumulateResource(acc: Accumulation, ref: string): void {
    refuseRemote(ref);
    if (this.loader.isFile(ref)) {
      const resources = readResourceFile(this.loader, ref);
      if (this.ctx.tracking) for (const r of resources) r.state.origin = { path: path.posix.join(this.originPath, ref) };
      noteTypesRead(this.ctx, resources);
      acc.resources.appendAll(resources);
      return;
    }
    const subAcc = this.accumulateBase(ref);
    noteTypesRead(this.ctx, subAcc.resources.resources());
    acc.resources.appendAll(subAcc.resources);
    acc.config = mergeTransformerConfigs(acc.config, subAcc.config);
    mergeVarSets(acc.vars, subAcc.vars);
    acc.roots.push(...subAcc.roots);
    if (subAcc.mergeSchemas) acc.mergeSchemas ??= subAcc.mergeSchemas;
  }

  /**
   * A base's accumulation depends only on its own tree and on what the build chose before reaching
   * it (see baseKey), so one process builds a base that several overlays use once (after its second
   * use) and hands each a copy; a base used once is built for its user alone (nothing is copied
   * along a chain of bases). A copy served is not loaded again: its kustomization files' reads and
   * deprecation warnings are kept with it. Origins depend on the path that led there, so with them
   * tracked nothing is shared.
   */
  private accumulateBase(ref: string): Accumulation {
    const loader = this.childLoader(ref, 'resource');
    if (this.ctx.tracking) return this.base(loader, ref).accumulate(emptyAccumulation());
    let built = false;
    // what building the base looked at and warned of is kept with it: every build it serves did that too
    const { acc, reads, deprecations } = this.loader.fileCache.memoWhenShared(
      baseKey(this.ctx, loader),
      () => {
        built = true;
        const reads = new ReadSet();
        const deprecations: Deprecation[] = [];
        this.ctx.deprecationSinks.push(deprecations);
        try {
          return { acc: this.base(loader.recordingInto(reads), ref).accumulate(emptyAccumulation()), reads, deprecations };
        } finally {
          this.ctx.deprecationSinks.pop();
        }
      },
      (kept) => ({ acc: copyAccumulation(kept.acc), reads: kept.reads, deprecations: kept.deprecations }),
    );
    this.loader.reads.addAll(reads);
    if (built) return acc;
    for (const d of deprecations) this.ctx.deprecated(d);
    // a kept accumulation was built under another chain of including kustomizations
    const chain = [...this.chain, this.loader.root];
    for (const root of acc.roots) {
      const visited = chain.find((c) => isWithin(c, root));
      if (visited) throw new BuildError(`cycle detected: ${root} contains the including kustomization ${visited}`);
    }
    if (acc.mergeSchemas) adoptMergeSchemas(this.ctx, acc.mergeSchemas);
    return acc;
  }

  /** The base at `loader`, reached as the resource `ref`. */
  private base(loader: Loader, ref: string): Target {
    const sub = this.at(loader, ref);
    if (sub.k.kind === 'Component') throw new BuildError(`'${ref}' is a Component; list it under components, not resources`);
    return sub;
  }

  private accumulateComponent(acc: Accumulation, ref: string): void {
    refuseRemote(ref);
    const sub = this.child(ref, 'component');
    if (sub.k.kind !== 'Component') {
      throw new BuildError(`'${ref}' must be a kustomization of kind Component to be listed under components`);
    }
    sub.accumulate(acc);
  }

  private child(ref: string, what: string): Target {
    return this.at(this.childLoader(ref, what), ref);
  }

  private at(loader: Loader, ref: string): Target {
    return new Target(loader, this.ctx.load(loader), this.ctx, [...this.chain, this.loader.root], path.posix.join(this.originPath, ref));
  }

  /** The loader of the directory `ref`, refused if it contains a kustomization that led here. */
  private childLoader(ref: string, what: string): Loader {
    if (!this.loader.isDirectory(ref)) {
      throw new BuildError(`${what} '${ref}' is neither a file nor a directory (${path.join(this.loader.root, ref)})`);
    }
    const loader = this.loader.child(ref);
    const chain = [...this.chain, this.loader.root];
    const ancestor = chain.find((root) => isWithin(root, loader.root));
    if (ancestor) {
      throw new BuildError(`cycle detected: '${ref}' (${loader.root}) contains the including kustomization ${ancestor}`);
    }
    return loader;
  }

  /** Runs fn, attaching this kustomization's file and the line of `at` to any error without a file. */
  private errorAt<T>(at: (string | number)[], fn: () => T): T {
    return errorIn(this.loaded, at, fn);
  }
}

interface BuildContext {
  options: RenderOptions;
  /** Whether origins are tracked: the top kustomization asked for build metadata. */
  tracking: boolean;
  /** Reads a kustomization file, reporting its deprecated fields (see deprecated). */
  load(loader: Loader): LoadedKustomization;
  /** Warns of a deprecated field once per build, and hands it to every sink. */
  deprecated(d: Deprecation): void;
  /** The deprecations met while bases that are kept are built (see accumulateBase), innermost last. */
  deprecationSinks: Deprecation[][];
  /**
   * Schemas for strategic merges. As in kustomize, the first kustomization of the build with an
   * `openapi` field (the top one, else the first nested one loaded) sets them for the rest of the
   * build; until then the built-in schema is used.
   */
  mergeSchemas: MergeSchemaSet;
  mergeSchemasChosen: boolean;
  /**
   * Whether an object of a type the built-in schema does not know was read before any schema was
   * chosen. kyaml then flags its built-in schema for loading, and a custom schema chosen later is
   * loaded beside it instead of replacing it.
   */
  unknownTypeRead: boolean;
}

/** A deprecated field's warning and the kustomization file that uses it. */
interface Deprecation {
  message: string;
  file: string;
}

/**
 * What names a base's accumulation within a process: its directory and what else the build decided
 * before reaching it that the base's own build reads — the load restrictor, helm's settings, and the
 * merge schemas (a custom one chosen, or whether a custom one the base chooses goes beside the
 * built-in one).
 */
function baseKey(ctx: BuildContext, loader: Loader): string {
  const { enableHelm, helmCommand } = ctx.options;
  const helm = enableHelm ? `helm=${helmCommand ?? 'helm'}` : '';
  const schemas = ctx.mergeSchemasChosen ? `schemas=${schemaSetId(ctx.mergeSchemas)}` : `unknownTypeRead=${ctx.unknownTypeRead}`;
  return `accumulation:${loader.restrictor}:${helm}:${schemas}:${loader.root}`;
}

const schemaSetIds = new WeakMap<MergeSchemaSet, number>();
let schemaSetsNamed = 0;

function schemaSetId(set: MergeSchemaSet): number {
  let id = schemaSetIds.get(set);
  if (id === undefined) schemaSetIds.set(set, (id = ++schemaSetsNamed));
  return id;
}

/** A builtin transformer configured by one kustomization field; kind names it in origin annotations. */
interface ConfiguredTransformer {
  kind: string;
  /** The kustomization field that configured it, for error locations. */
  at: (string | number)[];
  run: Transformer;
  /** For plugin configs: the config's own identity, for transformer annotations. */
  origin?: Origin;
}

/** A generator or transformer config, the list entry it came from, and where it was configured. */
interface PluginConfig {
  config: Resource;
  at: (string | number)[];
  configuredIn: string;
}

function pluginOrigin(configuredIn: string, config: Resource): Origin {
  return {
    configuredIn,
    configuredBy: { apiVersion: config.apiVersion, kind: config.kind, name: config.name, ...(config.namespace ? { namespace: config.namespace } : {}) },
  };
}

/** An entry that parses to objects is an inline config; anything else is a path. */
function tryInlineConfigs(entry: string, file: string): Resource[] | undefined {
  try {
    const docs = parseDocuments(entry, file).map((d) => d.value);
    return docs.some(isObject) ? resourcesFromDocuments(docs, file) : undefined;
  } catch {
    return undefined;
  }
}

function noteTypesRead(ctx: BuildContext, resources: readonly Resource[]): void {
  if (ctx.mergeSchemasChosen || ctx.unknownTypeRead) return;
  ctx.unknownTypeRead = resources.some((r) => !MergeSchemaSet.isBuiltinType(r.apiVersion, r.kind));
}

function adoptMergeSchemas(ctx: BuildContext, schemas: MergeSchemaSet): void {
  if (ctx.mergeSchemasChosen) return;
  ctx.mergeSchemas = schemas;
  ctx.mergeSchemasChosen = true;
}

/** Runs fn, attaching the kustomization's file and the line of `at` to any error without a file. */
function errorIn<T>(loaded: LoadedKustomization, at: (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BuildError && !e.file) throw e.at(loaded.file, loaded.lineOf(at));
    throw e;
  }
}

function copyAccumulation(kept: Accumulation): Accumulation {
  return {
    resources: kept.resources.clone(),
    config: kept.config,
    vars: new Map(kept.vars),
    roots: [...kept.roots],
    ...(kept.mergeSchemas ? { mergeSchemas: kept.mergeSchemas } : {}),
  };
}

function emptyAccumulation(): Accumulation {
  return { resources: new ResMap(), config: NO_TRANSFORMER_CONFIG, vars: new Map(), roots: [] };
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i;

function refuseRemote(ref: string): void {
  if (REMOTE.test(ref) || /\?ref=|\.git(?:$|\/\/)/.test(ref)) {
    throw new BuildError(
      `remote resource '${ref}' cannot be fetched: capifleet builds offline; vendor it into the repository and refer to the local copy`,
    );
  }
}

/** Builds the kustomization in dir exactly as `kustomize build` does and returns its resources in output order. */
export function render(dir: string, options: RenderOptions = {}): Resource[] {
  const loader = Loader.forDirectory(dir, options.loadRestrictor ?? 'root', options.fileCache, options.reads ?? new UnrecordedReads());
  const warned = new Set<string>();
  const deprecationSinks: Deprecation[][] = [];
  const deprecated = (d: Deprecation): void => {
    for (const sink of deprecationSinks) sink.push(d);
    if (warned.has(d.message)) return;
    warned.add(d.message);
    options.onWarning?.(d.message, d.file);
  };
  const load = (l: Loader): LoadedKustomization => {
    const loaded = loadKustomization(l, options.kustomizationCheck);
    for (const message of loaded.deprecations) deprecated({ message, file: loaded.file });
    return loaded;
  };
  const loaded = options.topKustomization ? options.topKustomization(loader) : load(loader);
  const buildMetadata = loaded.kustomization.buildMetadata;
  const ctx: BuildContext = {
    options,
    tracking: tracksOrigins(buildMetadata),
    load,
    deprecated,
    deprecationSinks,
    mergeSchemas: MergeSchemaSet.builtin(),
    mergeSchemasChosen: false,
    unknownTypeRead: false,
  };
  const top = new Target(loader, loaded, ctx, [], '');
  const acc = top.accumulate(emptyAccumulation());
  const resources = acc.resources;
  // kustomize does these once, at the very end, so names are final before references are fixed
  hashSuffixTransformer(resources);
  nameReferenceTransformer(acc.config.nameReference)(resources);
  const unused = resolveVars(resources, acc.vars, acc.config.varReference);
  if (unused.length) options.onWarning?.(`well-defined vars that were never replaced: ${unused.join(',')}`);
  dropLocalConfig(resources);
  // only the top kustomization's sortOptions count: kustomize never looks at those of its bases
  errorIn(loaded, ['sortOptions'], () => sortTransformer(top.k.sortOptions))(resources);
  const out = resources.resources();
  stringifyAnnotations(out);
  writeBuildMetadata(out, buildMetadataFlags(buildMetadata));
  return out;
}

/**
 * The read set of a build whose caller does not ask what it read (render): every file, folder and
 * base of every overlay would be recorded for nothing. A base kept for later builds still records
 * its own (see accumulateBase), for a caller that asks.
 */
class UnrecordedReads extends ReadSet {
  override add(): void {}
  override addAll(): void {}
}

/** kustomize drops resources annotated `config.kubernetes.io/local-config: "true"` from the output. */
function dropLocalConfig(resources: ResMap): void {
  resources.filter((r) => r.annotations()['config.kubernetes.io/local-config'] !== 'true');
}
