import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { withEnvironmentSettings, pairByRole } from '../../diff/environments.js';
import { BadPatternError, diffClusters, sidesDiffer, type ClusterInput } from '../../diff/report.js';
import { clusterSettingsDiff, environmentSettingsDiff } from '../../diff/settings.js';
import type { SettingChange } from '../../diff/types.js';
import { displayPath } from '../../display-path.js';
import { FileCache } from '../../engine/loader.js';
import { KUSTOMIZATION_FILE_NAMES } from '../../engine/kustomization.js';
import type { Resource } from '../../engine/resource.js';
import { render } from '../../engine/target.js';
import { BuildError } from '../../errors.js';
import { loadFleet } from '../../fleet/load.js';
import type { ResolvedCluster, ResolvedFleet } from '../../fleet/types.js';
import { clusterDir } from '../../generate/tree.js';
import { DIFF_OUTPUT_FORMATS, DIFF_WRITERS, type DiffOutputFormat } from '../../report/diff/index.js';
import { loadCatalog } from '../../schemas/catalog.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { writeGeneratedTree } from '../generated-tree.js';
import { printWarning, readInputFile, useColor } from '../io.js';

interface DiffArgs {
  from: string;
  to: string;
  spec?: string;
  output: DiffOutputFormat;
  ignore: string[];
  noise: boolean;
  'exit-code': boolean;
}

const DEFAULT_SPEC = 'fleet.yaml';

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <from> <to>',
  describe: 'Compare two environments, clusters or overlay directories, cluster by cluster, and flag dangerous changes',
  builder: (y) =>
    y
      .positional('from', { type: 'string', demandOption: true, describe: 'an environment or cluster of the fleet spec, or an overlay directory (or a folder of them)' })
      .positional('to', { type: 'string', demandOption: true, describe: 'the same kind of thing as <from>' })
      .option('spec', { type: 'string', describe: `the fleet spec naming environments and clusters (default: ${DEFAULT_SPEC} when present)` })
      .option('output', { alias: 'o', choices: DIFF_OUTPUT_FORMATS, default: 'text' as DiffOutputFormat, describe: 'report format' })
      .option('ignore', { type: 'string', array: true, default: [] as string[], describe: 'a field path to leave out, e.g. spec.replicas or metadata.labels["team"] (repeatable)' })
      .option('noise', { type: 'boolean', default: false, describe: 'also show what every chart bump changes (helm.sh/chart labels, checksum/ annotations)' })
      .option('exit-code', { type: 'boolean', default: false, describe: 'exit 1 when the sides differ' }),
  handler: (args) => {
    process.exitCode = runDiff(args);
  },
};

/** One cluster of a side: its name and where its overlay is. */
interface ClusterSide {
  name: string;
  dir: string;
  resolved?: ResolvedCluster;
}

/** What one argument names: an environment of the spec, or clusters (one, or a folder of overlays). */
type Side = { kind: 'environment'; name: string } | { kind: 'clusters'; group: string; clusters: ClusterSide[] };

function runDiff(args: DiffArgs): number {
  const cwd = process.cwd();
  const fleet = readFleet(args.spec);
  const from = resolveSide(args.from, fleet);
  const to = resolveSide(args.to, fleet);
  const fileCache = new FileCache();
  const build = (dir: string): Resource[] => render(dir, { fileCache, onWarning: printWarning });
  let clusters: ClusterInput[];
  let settings: SettingChange[] = [];
  if (from.kind === 'environment' || to.kind === 'environment') {
    if (from.kind !== 'environment' || to.kind !== 'environment') {
      throw new BuildError(`cannot compare an environment with ${from.kind === 'environment' ? args.to : args.from}: name two environments, or two clusters or directories`);
    }
    ({ clusters, settings } = environmentClusters(fleet!, from.name, to.name, fileCache));
  } else {
    const single = from.clusters.length === 1 && to.clusters.length === 1 && !isGroupDir(args.from) && !isGroupDir(args.to);
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
  let report;
  try {
    report = diffClusters({ from: args.from, to: args.to }, clusters, settings, { ignore: args.ignore, noise: !args.noise, catalog: loadCatalog({ projectDir: cwd }) });
  } catch (e) {
    if (e instanceof BadPatternError) throw new BuildError(e.message);
    throw e;
  }
  process.stdout.write(DIFF_WRITERS[args.output].render(report, { color: args.output === 'text' && useColor() }));
  return args['exit-code'] && sidesDiffer(report) ? EXIT_FINDINGS : EXIT_OK;
}

/** The fleet spec: the one named, else fleet.yaml when there is one. */
function readFleet(spec: string | undefined): ResolvedFleet | undefined {
  if (spec === undefined && !fs.existsSync(DEFAULT_SPEC)) return undefined;
  const file = spec ?? DEFAULT_SPEC;
  return loadFleet(readInputFile(file), file);
}

function resolveSide(arg: string, fleet: ResolvedFleet | undefined): Side {
  if (fleet?.environments.some((e) => e.name === arg)) return { kind: 'environment', name: arg };
  const cluster = fleet?.clusters.find((c) => c.name === arg);
  if (cluster) return { kind: 'clusters', group: cluster.environment, clusters: [{ name: cluster.name, dir: path.join(path.dirname(fleet!.file), clusterDir(cluster)), resolved: cluster }] };
  if (isKustomizationDir(arg)) return { kind: 'clusters', group: path.basename(path.dirname(path.resolve(arg))), clusters: [{ name: path.basename(path.resolve(arg)), dir: arg }] };
  if (isGroupDir(arg)) {
    const dirs = fs.readdirSync(arg).filter((n) => !n.startsWith('_') && isKustomizationDir(path.join(arg, n))).sort();
    return { kind: 'clusters', group: path.basename(path.resolve(arg)), clusters: dirs.map((n) => ({ name: n, dir: path.join(arg, n) })) };
  }
  const known = fleet ? ` (${displayPath(fleet.file, process.cwd())} has environments ${fleet.environments.map((e) => e.name).join(', ')})` : '';
  throw new BuildError(`${arg}: not an environment, a cluster or a directory of overlays${known}`);
}

function isKustomizationDir(dir: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.some((n) => fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.isFile());
}

/** A folder of cluster overlays (`overlays/prod`): no kustomization itself, one in at least one sub-folder. */
function isGroupDir(dir: string): boolean {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() || isKustomizationDir(dir)) return false;
  return fs.readdirSync(dir).some((n) => !n.startsWith('_') && isKustomizationDir(path.join(dir, n)));
}

/**
 * Environment against environment, as the spec defines them: each cluster of `to` as it is,
 * against the same cluster had its environment set what `from` sets. Both trees are generated
 * from the spec into temporary folders and rendered there, so the diff shows what the
 * environments' settings mean for each cluster and nothing of what the cluster sets itself.
 */
function environmentClusters(fleet: ResolvedFleet, from: string, to: string, fileCache: FileCache): { clusters: ClusterInput[]; settings: SettingChange[] } {
  const counterpart = withEnvironmentSettings(fleet, from, to);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-diff-'));
  try {
    const asIs = writeGeneratedTree(fleet, path.join(temp, 'to'));
    const asFrom = writeGeneratedTree(counterpart, path.join(temp, 'from'));
    const clusters = fleet.clusters
      .filter((c) => c.environment === to)
      .map((c): ClusterInput => ({
        name: c.name,
        from: render(path.join(asFrom, clusterDir(c)), { fileCache }),
        to: render(path.join(asIs, clusterDir(c)), { fileCache }),
      }));
    return { clusters, settings: environmentSettingsDiff(fleet, from, to) };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
