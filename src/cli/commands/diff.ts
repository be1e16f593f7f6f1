import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { pairByRole, withClustersOf, withEnvironmentSettings } from '../../diff/environments.js';
import { BadPatternError, diffClusters, sidesDiffer, type ClusterInput } from '../../diff/report.js';
import { clusterSettingsDiff, environmentSettingsDiff } from '../../diff/settings.js';
import type { SettingChange } from '../../diff/types.js';
import { displayPath } from '../../display-path.js';
import { FileCache } from '../../engine/loader.js';
import type { Resource } from '../../engine/resource.js';
import { render } from '../../engine/target.js';
import { BuildError } from '../../errors.js';
import { loadFleet } from '../../fleet/load.js';
import type { ResolvedCluster, ResolvedFleet } from '../../fleet/types.js';
import { clusterDir } from '../../generate/tree.js';
import { DIFF_OUTPUT_FORMATS, DIFF_WRITERS, type DiffOutputFormat } from '../../report/diff/index.js';
import { loadCatalog } from '../../schemas/catalog.js';
import { changeSet, DEFAULT_SPEC_FILE, diffRepository, type ClusterUnit, type KnownReads, type RepositoryDiff } from '../../diff/repository.js';
import { fluxClusters, fluxObjects, kustomizationFolders } from '../flux-clusters.js';
import { siblingFolderPairs } from '../../promote/flux.js';
import { TreeFileCache } from '../../engine/file-tree.js';
import type { ClusterGraphOptions } from '../../cluster-graph/graph.js';
import type { KustomizationCheck } from '../../engine/kustomization.js';
import { SchemaCompiler } from '../../schemas/compiled-schemas.js';
import { printDebug } from '../../debug.js';
import { CACHE_DIR, keyedHash, readRegularFile, usableCacheDir, userCacheSecret, writeFileAtomic } from '../../files.js';
import { buildId } from '../build-info.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { baseCommit, changedFiles, commitEntries, commitTree, repositoryRoot, writeCommitFiles, type CommitEntries } from '../git.js';
import { generatedTree } from '../generated-tree.js';
import { nonEmptyPaths, printWarning, readInputFile, useColor } from '../io.js';
import { isKustomizationDir } from '../../validate/inputs.js';
import { makeCacheDir, ManifestResultCache } from '../../validate/result-cache.js';

interface DiffArgs {
  sides: string[];
  'base-ref'?: string;
  spec?: string;
  output: DiffOutputFormat;
  ignore: string[];
  noise: boolean;
  'exit-code': boolean;
}

const DEFAULT_SPEC = 'fleet.yaml';

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff [sides..]',
  describe: 'Compare two environments, clusters or overlay directories (diff <from> <to>), or the repository at a git ref with its working tree (diff --base-ref REF [paths...]), cluster by cluster, and flag dangerous changes',
  builder: (y) =>
    y
      .positional('sides', {
        type: 'string',
        array: true,
        default: [] as string[],
        coerce: nonEmptyPaths('a side or path of diff'),
        describe: '<from> <to>: each an environment or cluster of the fleet spec, or an overlay directory (or a folder of them); with --base-ref: paths whose changes count (default: all)',
      })
      .option('base-ref', {
        type: 'string',
        describe: 'compare the repository at this git ref with the working tree, per cluster as Flux applies it (no value: the merge-base with the upstream branch, else origin/HEAD or origin/main)',
      })
      .option('spec', { type: 'string', describe: `the fleet spec naming environments and clusters (default: ${DEFAULT_SPEC} when present)` })
      .option('output', { alias: 'o', choices: DIFF_OUTPUT_FORMATS, default: 'text' as DiffOutputFormat, describe: 'report format' })
      .option('ignore', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'a field path to leave out, e.g. spec.replicas or metadata.labels["team"] (repeatable)' })
      .option('noise', { type: 'boolean', default: false, describe: 'also show what every chart bump changes (helm.sh/chart labels, checksum/ annotations)' })
      .option('exit-code', { type: 'boolean', default: false, describe: 'exit 1 when the sides differ' }),
  handler: async (args) => {
    if (args['base-ref'] !== undefined) {
      process.exitCode = await runRefDiff(args);
      return;
    }
    if (args.sides.length !== 2) throw new BuildError(`diff takes two sides, <from> and <to> (got ${args.sides.length}), or --base-ref REF [paths...]`);
    process.exitCode = runDiff(args, args.sides[0]!, args.sides[1]!);
  },
};

/** One cluster of a side: its name and where its overlay is. */
interface ClusterSide {
  name: string;
  dir: string;
  resolved?: ResolvedCluster;
}

/** What one argument names: an environment of the spec, clusters (one, or a folder of overlays), or a cluster Flux reaches in a repository without a spec. */
type Side = { kind: 'environment'; name: string } | { kind: 'clusters'; group: string; clusters: ClusterSide[] } | { kind: 'flux'; unit: ClusterUnit };

function runDiff(args: DiffArgs, fromArg: string, toArg: string): number {
  const fleet = readFleet(args.spec);
  const fileCache = new FileCache();
  const compiler = new SchemaCompiler();
  const kustomizationCheck: KustomizationCheck = () => compiler.kustomizationCheck();
  let units: ClusterUnit[] | undefined;
  // built only when a side names neither an environment, a cluster of a spec nor a directory
  const reached = (): ClusterUnit[] => (units ??= fluxClusters(process.cwd(), fileCache, kustomizationCheck));
  const build = (dir: string): Resource[] => render(dir, { fileCache, kustomizationCheck, onWarning: printWarning });
  const siblings = fleet ? [] : environmentFolders(fromArg, toArg, reached);
  if (siblings.length) {
    // each folder holding both environments' folders, as promote pairs them
    const clusters = siblings.map(({ from: f, to: t }): ClusterInput => ({ name: path.posix.dirname(t), from: build(f), to: build(t) }));
    return printReport(args, { from: fromArg, to: toArg }, clusters, []);
  }
  const from = resolveSide(fromArg, fleet, reached);
  const to = resolveSide(toArg, fleet, reached);
  let clusters: ClusterInput[];
  let settings: SettingChange[] = [];
  if (from.kind === 'flux' || to.kind === 'flux') {
    if (from.kind !== 'flux' || to.kind !== 'flux') throw new BuildError(`cannot compare a cluster Flux reaches with ${from.kind === 'flux' ? toArg : fromArg}: name two clusters of the repository, or two directories`);
    // two clusters of one repository: each one's name in the other's strings is read as its own
    const names = { from: from.unit.name, to: to.unit.name };
    clusters = [{ name: `${names.from} → ${names.to}`, from: fluxObjects(from.unit), to: fluxObjects(to.unit), names, pruned: to.unit.pruned }];
  } else if (from.kind === 'environment' || to.kind === 'environment') {
    if (from.kind !== 'environment' || to.kind !== 'environment') {
      throw new BuildError(`cannot compare an environment with ${from.kind === 'environment' ? toArg : fromArg}: name two environments, or two clusters or directories`);
    }
    ({ clusters, settings } = environmentClusters(fleet!, from.name, to.name, kustomizationCheck));
  } else {
    const single = from.clusters.length === 1 && to.clusters.length === 1 && !isGroupDir(fromArg) && !isGroupDir(toArg);
    const pairs = single ? [{ from: from.clusters[0]!, to: to.clusters[0]! }] : pairByRole(from.clusters, from.group, to.clusters, to.group);
    clusters = pairs.map(({ from: f, to: t }): ClusterInput => {
      const name = f && t && f.name !== t.name ? `${f.name} → ${t.name}` : (f ?? t)!.name;
      return {
        name,
        ...(f ? { from: build(f.dir) } : {}),
        ...(t ? { to: build(t.dir) } : {}),
        ...(f && t && f.name !== t.name ? { names: { from: f.name, to: t.name } } : {}),
      };
    });
    const [f] = from.clusters;
    const [t] = to.clusters;
    if (single && f?.resolved && t?.resolved) settings = clusterSettingsDiff(f.resolved, t.resolved);
  }
  return printReport(args, { from: fromArg, to: toArg }, clusters, settings);
}

/** Compares, writes the report in the format asked, and says what the exit code is. */
function printReport(args: DiffArgs, sides: { from: string; to: string }, clusters: ClusterInput[], settings: SettingChange[]): number {
  let report;
  try {
    report = diffClusters(sides, clusters, settings, { ignore: args.ignore, noise: !args.noise, catalog: loadCatalog({ projectDir: process.cwd() }) });
  } catch (e) {
    if (e instanceof BadPatternError) throw new BuildError(e.message);
    throw e;
  }
  process.stdout.write(DIFF_WRITERS[args.output].render(report, { color: args.output === 'text' && useColor() }));
  return args['exit-code'] && sidesDiffer(report) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The repository at a git ref against its working tree: the ref's files are written into a
 * temporary folder (always removed), the changed files come from git, and only the clusters they
 * reach are built on either side.
 */
async function runRefDiff(args: DiffArgs): Promise<number> {
  const cwd = process.cwd();
  const root = repositoryRoot(cwd);
  const base = baseCommit(root, args['base-ref'] || undefined);
  const label = base.label === args['base-ref'] ? base.label : `${base.label} (${base.commit.slice(0, 12)})`;
  if (base.label !== args['base-ref']) process.stderr.write(`capifleet: comparing with ${label}\n`);
  const within = args.sides.map((p) => {
    const rel = path.relative(root, path.resolve(cwd, p)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new BuildError(`${p}: outside the repository ${displayPath(root, cwd)}`);
    return rel;
  });
  const counts = (rel: string): boolean => !within.length || within.some((w) => w === '' || rel === w || rel.startsWith(`${w}/`));
  const cache = readsCache(root);
  // git's answers come while a new cache folder waits out its clock tick (keptBuilds makes the folder first)
  const [kept, changed, committed] = await Promise.all([keptBuilds(root), changedFiles(root, base.commit), commitEntries(root, base.commit)]);
  const specFile = args.spec ? path.relative(root, path.resolve(cwd, args.spec)).split(path.sep).join('/') : DEFAULT_SPEC_FILE;
  const differs = [...changed.modified, ...changed.oneSided].filter(counts);
  const asNow = [...changed.modified, ...changed.oneSided].filter((r) => !counts(r));
  const isFolder = (p: string): boolean => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const compiler = new SchemaCompiler();
  const run = (base: { root: string; fileCache: FileCache }): RepositoryDiff => {
    const hasFolder = (folder: string): boolean => isFolder(path.join(root, folder)) && base.fileCache.kind(path.join(base.root, folder)) === 'directory';
    const changes = changeSet(changed.modified.filter(counts), changed.oneSided.filter(counts), hasFolder);
    printDebug(`${changes.paths.size} changed paths`);
    return diffRepository({
      working: root,
      base,
      changes,
      specFile,
      known: cache.known,
      ...(kept.hooks ? { workingBuilds: kept.hooks } : {}),
      fileCache: new FileCache(),
      kustomizationCheck: () => compiler.kustomizationCheck(),
      onWarning: printWarning,
    });
  };
  // the commit's files are read from git where they differ and from the working tree where not;
  // only a commit with symlinks is written out, into a temporary folder
  const tree = commitTree(root, committed, differs, asNow);
  // a place beside the repository where nothing is: paths leading out of the repository lead to the same places from it
  const at = path.join(path.dirname(root), `.${path.basename(root)}@${base.commit.slice(0, 12)}`);
  const result = tree ? run({ root: at, fileCache: new TreeFileCache(at, tree) }) : withCommitFiles(root, committed, asNow, (dir) => run({ root: dir, fileCache: new FileCache() }));
  cache.keep(result.reads);
  kept.save();
  const { working, served, base: again, of, leftOut } = result.built;
  printDebug(
    `${result.via}: ${result.clusters.length} of ${result.total} clusters reached by the changes; built ${working} of ${of} ${result.via === 'cluster graph' ? `paths of the working tree (${served} served from the build store)` : 'overlays of the working tree'}, ${again} of the base${leftOut ? `; ${leftOut} Flux Kustomizations left out, the same at both states` : ''}`,
  );
  return printReport(args, { from: label, to: 'working tree' }, result.clusters, result.settings);
}

/** Runs `use` on the commit's files written into a temporary folder (changes that do not count as in the working tree), and removes it. */
function withCommitFiles<T>(root: string, committed: CommitEntries, asNow: readonly string[], use: (dir: string) => T): T {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-base-'));
  try {
    const dir = fs.realpathSync(temp);
    writeCommitFiles(root, committed, dir);
    for (const rel of asNow) {
      fs.rmSync(path.join(dir, rel), { force: true });
      const now = path.join(root, rel);
      if (fs.existsSync(now)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.copyFileSync(now, path.join(dir, rel));
      }
    }
    return use(dir);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Where the overlays' read sets are kept between runs, in the repository's cache folder. */
const READS_CACHE = 'diff-reads-v1.json';

/**
 * The read sets of a fleet tree's overlays from earlier runs, and a way to keep this run's. The
 * file is keyed with this user's cache secret and this build of capifleet: one made by someone
 * else, or by other code, is not used.
 */
function readsCache(root: string): { known: Map<string, KnownReads>; keep: (built: ReadonlyMap<string, KnownReads>) => void } {
  const secret = userCacheSecret();
  const dir = secret ? usableCacheDir(path.join(root, CACHE_DIR)) : undefined;
  if (!secret || !dir) return { known: new Map(), keep: () => {} };
  const file = path.join(dir, READS_CACHE);
  const known = new Map<string, KnownReads>();
  const text = readRegularFile(file)?.toString('utf8');
  const newline = text?.indexOf('\n') ?? -1;
  if (text && newline > 0) {
    const body = text.slice(newline + 1);
    if (text.slice(0, newline) === keyedHash(secret, `${buildId()}\0${body}`)) {
      for (const [overlay, reads] of Object.entries(JSON.parse(body) as Record<string, KnownReads>)) known.set(overlay, reads);
    }
  }
  return {
    known,
    keep: (built) => {
      if (!built.size) return;
      for (const [dir, reads] of built) known.set(dir, reads);
      const body = JSON.stringify(Object.fromEntries(known));
      // the folder is made before the run (keptBuilds)
      try {
        writeFileAtomic(file, `${keyedHash(secret, `${buildId()}\0${body}`)}\n${body}`);
      } catch {
        // a cache that cannot be written only costs speed
      }
    },
  };
}

/**
 * The build store validate keeps in the repository's cache folder, for the working tree's graph:
 * its builds are served while what they read shows the same, and what this run builds is kept.
 */
async function keptBuilds(root: string): Promise<{ hooks?: Pick<ClusterGraphOptions, 'reuse' | 'onBuild'>; save: () => void }> {
  const secret = userCacheSecret();
  const dir = secret ? usableCacheDir(path.join(root, CACHE_DIR)) : undefined;
  if (!secret || !dir) return { save: () => {} };
  await makeCacheDir(dir);
  // builds and what paths show depend on no schema or option: nothing diff asks of the cache needs validate's fingerprint
  const cache = new ManifestResultCache(dir, () => { throw new Error('internal error: diff keeps no findings'); }, keyedHash(secret, buildId()));
  const { reuse, onBuild } = cache.graphBuilds(root);
  return { hooks: { ...(reuse ? { reuse } : {}), ...(onBuild ? { onBuild } : {}) }, save: () => cache.save() };
}

/** The fleet spec: the one named, else fleet.yaml when there is one. */
function readFleet(spec: string | undefined): ResolvedFleet | undefined {
  if (spec === undefined && !fs.existsSync(DEFAULT_SPEC)) return undefined;
  const file = spec ?? DEFAULT_SPEC;
  return loadFleet(readInputFile(file), file);
}

function resolveSide(arg: string, fleet: ResolvedFleet | undefined, reached: () => ClusterUnit[]): Side {
  if (fleet?.environments.some((e) => e.name === arg)) return { kind: 'environment', name: arg };
  const cluster = fleet?.clusters.find((c) => c.name === arg);
  if (cluster) return { kind: 'clusters', group: cluster.environment, clusters: [{ name: cluster.name, dir: path.join(path.dirname(fleet!.file), clusterDir(cluster)), resolved: cluster }] };
  if (isKustomizationDir(arg)) return { kind: 'clusters', group: path.basename(path.dirname(path.resolve(arg))), clusters: [{ name: path.basename(path.resolve(arg)), dir: arg }] };
  if (isGroupDir(arg)) {
    const dirs = fs.readdirSync(arg).filter((n) => !n.startsWith('_') && isKustomizationDir(path.join(arg, n))).sort();
    return { kind: 'clusters', group: path.basename(path.resolve(arg)), clusters: dirs.map((n) => ({ name: n, dir: path.join(arg, n) })) };
  }
  if (fleet) throw new BuildError(`${arg}: not an environment, a cluster or a directory of overlays (${displayPath(fleet.file, process.cwd())} has environments ${fleet.environments.map((e) => e.name).join(', ')})`);
  const units = reached();
  const unit = units.find((u) => u.name === arg);
  if (unit) return { kind: 'flux', unit };
  const known = units.length ? ` (the clusters Flux reaches here are ${units.map((u) => u.name).join(', ')})` : '';
  throw new BuildError(`${arg}: not an environment, a cluster or a directory of overlays${known}`);
}

/**
 * In a repository without a spec, two names that are neither paths nor clusters Flux reaches but
 * name sibling kustomization folders (d2-infra's `components/<name>/<layer>/staging` and
 * `…/production`): those pairs, as promote carries between them; none otherwise.
 */
function environmentFolders(fromArg: string, toArg: string, reached: () => ClusterUnit[]): { from: string; to: string }[] {
  const names = [fromArg, toArg];
  if (fromArg === toArg || names.some((n) => n.includes('/') || fs.existsSync(n))) return [];
  if (names.some((n) => reached().some((u) => u.name === n))) return [];
  return siblingFolderPairs(kustomizationFolders(process.cwd()), fromArg, toArg);
}

/** A folder of cluster overlays (`overlays/prod`): no kustomization itself, one in at least one sub-folder. */
function isGroupDir(dir: string): boolean {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() || isKustomizationDir(dir)) return false;
  return fs.readdirSync(dir).some((n) => !n.startsWith('_') && isKustomizationDir(path.join(dir, n)));
}

/**
 * Environment against environment, as the spec defines them: each cluster of `to` as it is,
 * against the same cluster had its environment set what `from` sets. Both trees are generated
 * from the spec and rendered from memory, so the diff shows what the environments' settings mean
 * for each cluster and nothing of what the cluster sets itself.
 */
function environmentClusters(fleet: ResolvedFleet, from: string, to: string, kustomizationCheck: KustomizationCheck): { clusters: ClusterInput[]; settings: SettingChange[] } {
  // only `to`'s clusters are compared: neither tree needs the others
  const own = withClustersOf(fleet, to);
  const settings = environmentSettingsDiff(fleet, from, to);
  if (!own.clusters.length) return { clusters: [], settings };
  const counterpart = withEnvironmentSettings(own, from, to);
  // where the trees would be beside the spec: nothing is written there
  const place = path.join(path.dirname(path.resolve(fleet.file)), `.capifleet-diff-${process.pid}`);
  const asIs = generatedTree(own, path.join(place, to));
  const asFrom = generatedTree(counterpart, path.join(place, from));
  const clusters = own.clusters.map((c): ClusterInput => ({
    name: c.name,
    from: render(path.join(asFrom.root, clusterDir(c)), { fileCache: asFrom, kustomizationCheck }),
    to: render(path.join(asIs.root, clusterDir(c)), { fileCache: asIs, kustomizationCheck }),
  }));
  return { clusters, settings };
}
