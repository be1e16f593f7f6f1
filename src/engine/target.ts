import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { isWithin, Loader, type FileCache, type LoadRestrictor } from './loader.js';
import { loadKustomization, type LoadedKustomization } from './kustomization.js';
import { readResourceFile } from './resources.js';
import type { Resource } from './resource.js';
import { ResMap } from './resmap.js';
import { sortTransformer } from './filters/sort.js';
import { buildMetadataFlags, builtinOrigin, recordTransformation, tracksOrigins, writeBuildMetadata } from './build-metadata.js';
import type { Kustomization, Var } from './types.js';

export interface RenderOptions {
  loadRestrictor?: LoadRestrictor;
  /** Run `helmCharts` through a helm binary. */
  enableHelm?: boolean;
  helmCommand?: string;
  /** Share file reads and parses across many renders in one process. */
  fileCache?: FileCache;
}

/** What a kustomization directory contributes to its parent: resources plus the rules to finish them. */
export interface Accumulation {
  resources: ResMap;
  vars: Var[];
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

  /** kustomize's accumulateTarget: resources, generators, components, transformers. */
  accumulate(acc: Accumulation): Accumulation {
    this.errorAt(['resources'], () => {
      (this.k.resources ?? []).forEach((ref, i) => this.errorAt(['resources', i], () => this.accumulateResource(acc, ref)));
    });
    (this.k.components ?? []).forEach((ref, i) => this.errorAt(['components', i], () => this.accumulateComponent(acc, ref)));
    for (const t of this.transformers()) {
      t.run(acc.resources);
      if (this.ctx.tracking) recordTransformation(acc.resources, builtinOrigin(this.configuredIn, t.kind));
    }
    acc.vars.push(...(this.k.vars ?? []));
    return acc;
  }

  /** The builtin transformers this kustomization configures, in kustomize's fixed order. */
  private transformers(): ConfiguredTransformer[] {
    return [];
  }

  private accumulateResource(acc: Accumulation, ref: string): void {
    refuseRemote(ref);
    if (this.loader.isFile(ref)) {
      const resources = readResourceFile(this.loader, ref);
      if (this.ctx.tracking) for (const r of resources) r.state.origin = { path: path.posix.join(this.originPath, ref) };
      acc.resources.appendAll(resources);
      return;
    }
    const sub = this.child(ref, 'resource');
    if (sub.k.kind === 'Component') throw new BuildError(`'${ref}' is a Component; list it under components, not resources`);
    const subAcc = sub.accumulate(emptyAccumulation());
    acc.resources.appendAll(subAcc.resources);
    acc.vars.push(...subAcc.vars);
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
    if (!this.loader.isDirectory(ref)) {
      throw new BuildError(`${what} '${ref}' is neither a file nor a directory (${path.join(this.loader.root, ref)})`);
    }
    const loader = this.loader.child(ref);
    const chain = [...this.chain, this.loader.root];
    const ancestor = chain.find((root) => isWithin(root, loader.root));
    if (ancestor) {
      throw new BuildError(`cycle detected: '${ref}' (${loader.root}) contains the including kustomization ${ancestor}`);
    }
    return new Target(loader, loadKustomization(loader), this.ctx, chain, path.posix.join(this.originPath, ref));
  }

  /** Runs fn, attaching this kustomization's file and the line of `at` to any error without a file. */
  private errorAt<T>(at: (string | number)[], fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BuildError && !e.file) throw e.at(this.loaded.file, this.loaded.lineOf(at));
      throw e;
    }
  }
}

interface BuildContext {
  options: RenderOptions;
  /** Whether origins are tracked: the top kustomization asked for build metadata. */
  tracking: boolean;
}

/** A builtin transformer configured by one kustomization field; kind names it in origin annotations. */
interface ConfiguredTransformer {
  kind: string;
  run: (resources: ResMap) => void;
}

function emptyAccumulation(): Accumulation {
  return { resources: new ResMap(), vars: [] };
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
  const loader = Loader.forDirectory(dir, options.loadRestrictor ?? 'root', options.fileCache);
  const loaded = loadKustomization(loader);
  const buildMetadata = loaded.kustomization.buildMetadata;
  const top = new Target(loader, loaded, { options, tracking: tracksOrigins(buildMetadata) }, [], '');
  const acc = top.accumulate(emptyAccumulation());
  const resources = acc.resources;
  dropLocalConfig(resources);
  sortTransformer(top.k.sortOptions)(resources);
  const out = resources.resources();
  writeBuildMetadata(out, buildMetadataFlags(buildMetadata));
  return out;
}

/** kustomize drops resources annotated `config.kubernetes.io/local-config: "true"` from the output. */
function dropLocalConfig(resources: ResMap): void {
  resources.filter((r) => r.annotations()['config.kubernetes.io/local-config'] !== 'true');
}
