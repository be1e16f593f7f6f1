import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { diffClusters, type ClusterInput } from '../../diff/report.js';
import { environmentSettings, settingChanges } from '../../diff/settings.js';
import type { SettingChange } from '../../diff/types.js';
import { displayPath } from '../../display-path.js';
import { KUSTOMIZATION_FILE_NAMES } from '../../engine/kustomization.js';
import { FileCache } from '../../engine/loader.js';
import type { Resource } from '../../engine/resource.js';
import { render } from '../../engine/target.js';
import { BuildError } from '../../errors.js';
import { checkReplaceable, writeFileAtomic } from '../../files.js';
import { setEnvironmentDefaults } from '../../fleet/edit.js';
import { loadFleet } from '../../fleet/load.js';
import type { JsonObject, JsonValue } from '../../json/value.js';
import { deepEqual } from '../../json/value.js';
import type { ResolvedFleet } from '../../fleet/types.js';
import { generationDiffers, planGeneration, writeGeneration } from '../../generate/generation.js';
import { GENERATED_ROOTS } from '../../generate/plan.js';
import { gitRepository } from '../../generate/flux.js';
import { uncommittedChanges } from '../git.js';
import { clusterDir, generateTree } from '../../generate/tree.js';
import { resourceKeyOf, type ResourceKey } from '../../kubernetes/resource-key.js';
import { applyPlan } from '../../generate/tree-writer.js';
import { SPEC_CATEGORIES, TREE_CATEGORIES, selectCategories, CATEGORY_DOCS, type TreeCategory } from '../../promote/categories.js';
import { promotionRefusal } from '../../promote/path.js';
import { promotedDefaults } from '../../promote/spec.js';
import { promoteOverlays, promotePairs, type OverlayEdit, type OverlayFiles, type OverlayGroup } from '../../promote/tree.js';
import { fluxOverlayPairs, siblingFolderPairs, type AppliedPath } from '../../promote/flux.js';
import { changeSet, readsTouching, type ClusterUnit } from '../../diff/repository.js';
import { fluxClusters, fluxObjects, kustomizationFolders } from '../flux-clusters.js';
import type { Report } from '../../report/findings/report.js';
import { PROMOTE_OUTPUT_FORMATS, PROMOTE_WRITERS, type PromoteOutputFormat } from '../../report/promote/index.js';
import { PROMOTE_JSON_VERSION } from '../../report/promote/json.js';
import type { FileEdit, PromoteReport } from '../../report/promote/writer.js';
import { loadCatalog } from '../../schemas/catalog.js';
import { loadValidateConfig } from '../../validate/config.js';
import { findingResource, type Finding } from '../../validate/finding.js';
import { configurableRuleIds, RULE_REGISTRY } from '../../validate/rule-registry.js';
import { isKustomizationDir } from '../../validate/inputs.js';
import { Validator } from '../../validate/validator.js';
import { toolVersion } from '../build-info.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { generatedTree } from '../generated-tree.js';
import { nonEmptyPath, printWarning, readInputFile, useColor } from '../io.js';

interface PromoteArgs {
  from: string;
  to: string;
  only: string[];
  write: boolean;
  force: boolean;
  spec?: string;
  output: PromoteOutputFormat;
}

const DEFAULT_SPEC = 'fleet.yaml';

export const promoteCommand: CommandModule<object, PromoteArgs> = {
  command: 'promote <from> <to>',
  describe: 'Carry what one environment sets into the next (fleet.yaml, or image tags and chart versions in overlays); a dry run unless --write',
  builder: (y) =>
    y
      .positional('from', { type: 'string', demandOption: true, describe: 'the environment to promote from' })
      .positional('to', { type: 'string', demandOption: true, describe: "the environment to promote into (its promotesFrom, unless --force)" })
      .option('only', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: `what to carry (repeatable or comma-separated): ${[...SPEC_CATEGORIES, ...TREE_CATEGORIES].map((c) => `${c} (${CATEGORY_DOCS[c]})`).join('; ')}`,
      })
      .option('write', { type: 'boolean', default: false, describe: 'edit the files and regenerate the tree (default: print what would change)' })
      .option('force', { type: 'boolean', default: false, describe: 'promote against promotesFrom, or with uncommitted changes' })
      .option('spec', { type: 'string', coerce: nonEmptyPath('--spec'), describe: `the fleet spec (default: ${DEFAULT_SPEC} when present; without one, environments are folders of overlays)` })
      .option('output', { alias: 'o', choices: PROMOTE_OUTPUT_FORMATS, default: 'text' as PromoteOutputFormat, describe: 'report format' }),
  handler: (args) => {
    process.exitCode = args.spec !== undefined || fs.existsSync(DEFAULT_SPEC) ? promoteSpec(args, args.spec ?? DEFAULT_SPEC) : promoteTree(args);
  },
};

/** What a promotion found, rendered and checked, before anything is written. */
interface Promotion {
  edits: FileEdit[];
  /** The edits are to the spec: `--write` regenerates the tree. */
  regenerated: boolean;
  notes: string[];
  clusters: ClusterInput[];
  settings: SettingChange[];
  validation: Report;
}

function promoteSpec(args: PromoteArgs, specFile: string): number {
  const categories = selectCategories(args.only, SPEC_CATEGORIES, 'spec');
  const text = readInputFile(specFile);
  const fleet = loadFleet(text, specFile);
  const refusal = promotionRefusal(fleet.environments, args.from, args.to, args.force);
  if (refusal) throw new BuildError(refusal, specFile);
  const root = path.dirname(path.resolve(specFile));
  refuseUncommitted(root, [path.basename(specFile), ...GENERATED_ROOTS], args);

  // the diff compares the trees the spec generates before and after: a tree on disk that is not
  // current would take more changes than it shows with --write
  if (generationDiffers(planGeneration(specFile, text, {}, 'check'), 'check')) {
    printWarning(`the tree is not current with the spec; --write would also write what capifleet generate --dry-run shows`, specFile);
  }
  const target = fleet.spec.spec.environments.find((e) => e.name === args.to)!;
  const defaults = promotedDefaults(fleet.spec, args.from, args.to, categories);
  if (deepEqual(defaults as unknown as JsonValue, target.defaults as unknown as JsonValue)) return nothingToPromote(args);
  checkReplaceable(specFile);
  const promotedText = setEnvironmentDefaults(text, specFile, args.to, defaults);
  const promoted = loadFleet(promotedText, specFile);
  const promotion = renderGenerated(fleet, promoted, args.to);
  promotion.edits.push({ file: displayPath(specFile), before: text, after: promotedText });

  return finish(args, promotion, () => {
    const previous = new Map(generateTree(fleet).files.map((f) => [f.path, f.content]));
    const generation = planGeneration(specFile, promotedText, { previous }, 'write');
    const conflicts = generation.entries.filter((e) => e.action === 'conflict').map((c) => c.path);
    if (conflicts.length) return `${conflicts.join(', ')} ${conflicts.length === 1 ? 'was' : 'were'} edited by hand since generated (capifleet generate --dry-run shows how)`;
    writeGeneration(generation);
    // the spec last: a tree that cannot be written leaves it as it was; a spec that cannot be
    // written puts the tree of the old spec back, so the two always agree
    try {
      writeFileAtomic(specFile, promotedText);
    } catch (e) {
      try {
        writeGeneration(planGeneration(specFile, text, {}, 'write'));
      } catch {
        // the first error is the one to report
      }
      throw e;
    }
    return undefined;
  });
}

/**
 * The clusters of `env` as the spec generates them now and once promoted, each rendered from
 * memory as if it were the repository's tree (nothing is written, and findings name the files
 * the promotion writes), and the promoted ones validated.
 */
function renderGenerated(fleet: ResolvedFleet, promoted: ResolvedFleet, env: string): Promotion {
  const repository = path.dirname(path.resolve(fleet.file));
  const now = generatedTree(fleet, repository);
  const after = generatedTree(promoted, repository);
  const clusters: ClusterInput[] = [];
  const units: Resources[] = [];
  // each overlay's Flux objects use the one GitRepository overlays/_management holds for all
  const source = gitRepository(promoted) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string } };
  const sharedSource = resourceKeyOf({ apiVersion: source.apiVersion, kind: source.kind, ...source.metadata });
  for (const cluster of promoted.clusters.filter((c) => c.environment === env)) {
    const dir = path.join(repository, clusterDir(cluster));
    const to = render(dir, { fileCache: after, onWarning: printWarning });
    clusters.push({ name: cluster.name, from: render(dir, { fileCache: now }), to });
    units.push({ name: displayPath(dir), resources: to, created: [sharedSource] });
  }
  const validation = validate(validator(), units);
  return { edits: [], regenerated: true, notes: [], clusters, settings: settingChanges(environmentSettings(fleet, env) as JsonObject, environmentSettings(promoted, env) as JsonObject), validation };
}

/**
 * A tree without a spec: environments are folders of overlays (the path given, or
 * `overlays/<name>`), else the clusters Flux reaches in the repository; their versions carried.
 */
function promoteTree(args: PromoteArgs): number {
  const categories = selectCategories(args.only, TREE_CATEGORIES, 'tree');
  const fromDir = environmentDir(args.from);
  const toDir = environmentDir(args.to);
  if (fromDir === undefined || toDir === undefined) return promoteFlux(args, categories);
  if (path.resolve(fromDir) === path.resolve(toDir)) throw new BuildError(`cannot promote ${args.from} into itself: name two environments`);
  refuseUncommitted(toDir, ['.'], args);
  const from = readGroup(fromDir);
  const to = readGroup(toDir);
  const { edits, notes } = promoteOverlays(from.group, to.group, categories);
  if (edits.length === 0) return nothingToPromote(args, notes);

  const files = edits.map((e) => ({ abs: path.resolve(toDir, e.overlay === to.single ? '' : e.overlay, e.file), edit: e }));
  const editedFiles = new Map(files.map(({ abs, edit }) => [abs, edit.after]));
  const fileCache = new FileCache();
  const promotedCache = new EditedFiles(editedFiles);
  const clusters: ClusterInput[] = [];
  const units: Resources[] = [];
  for (const overlay of to.dirs) {
    if (isComponent(overlay.dir)) continue;
    const promoted = render(overlay.dir, { fileCache: promotedCache, onWarning: printWarning });
    clusters.push({ name: overlay.name, from: render(overlay.dir, { fileCache }), to: promoted });
    units.push({ name: displayPath(overlay.dir), resources: promoted });
  }
  return finishEdits(args, path.resolve(toDir), files, notes, clusters, units);
}

/**
 * A Flux repository without a spec: `from` and `to` are clusters Flux reaches (`clusters/<name>`),
 * and each folder applied to `to` gets what the folder the same Flux Kustomization applies to
 * `from` sets (`apps/production` what `apps/staging` sets). Every cluster whose builds read an
 * edited file is shown as it is and as it would be, through the cluster graph.
 */
function promoteFlux(args: PromoteArgs, categories: ReadonlySet<TreeCategory>): number {
  const root = process.cwd();
  const now = fluxClusters(root, new FileCache());
  const missing = [args.from, args.to].filter((name) => !now.some((u) => u.name === name));
  const siblings = missing.length && args.from !== args.to ? siblingFolderPairs(kustomizationFolders(root), args.from, args.to) : [];
  if (siblings.length) return promoteFolders(args, categories, root, siblings);
  if (missing.length) {
    // the name that is neither a folder of overlays nor a cluster
    const name = missing.find((n) => environmentDir(n) === undefined) ?? missing[0]!;
    const folders = fs.statSync('overlays', { throwIfNoEntry: false })?.isDirectory()
      ? fs.readdirSync('overlays', { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name)
      : [];
    const known = [
      ...(folders.length ? [`the environments are ${folders.join(', ')} (folders of overlays under overlays/)`] : []),
      ...(now.length ? [`the clusters Flux reaches here are ${now.map((u) => u.name).join(', ')}`] : []),
    ];
    throw new BuildError(
      `unknown environment ${JSON.stringify(name)}: ${known.join('; ') || `no fleet.yaml here, no folders of overlays under overlays/, no cluster Flux reaches (clusters/<name>), and no kustomization folder ${args.from} beside one named ${args.to}`}`,
    );
  }
  const from = now.find((u) => u.name === args.from)!;
  const to = now.find((u) => u.name === args.to)!;
  if (from === to) throw new BuildError(`cannot promote ${args.from} into itself: name two environments`);
  const applied = (unit: ClusterUnit): AppliedPath[] => unit.builds.map((b) => ({ kustomization: b.kustomization, path: b.path }));
  const folders = fluxOverlayPairs(applied(from), applied(to));
  refuseUncommitted(root, folders.length ? folders.map((f) => f.to || '.') : ['.'], args);
  const overlay = (rel: string, name: string): OverlayFiles => ({ name: rel, placeholder: name, files: yamlFiles(path.join(root, rel)) });
  const pairs = folders.map((f) => ({ from: overlay(f.from, from.name), to: overlay(f.to, to.name), where: f.to || '.' }));
  const { edits, notes } = promotePairs(pairs, categories);
  if (edits.length === 0) return nothingToPromote(args, notes);

  const files = edits.map((e) => ({ abs: path.resolve(root, e.overlay, e.file), edit: e }));
  const promoted = fluxClusters(root, new EditedFiles(new Map(files.map(({ abs, edit }) => [abs, edit.after]))));
  const changes = changeSet(files.map(({ abs }) => path.relative(root, abs).split(path.sep).join('/')), [], () => true);
  const clusters: ClusterInput[] = [];
  const units: Resources[] = [];
  const touches = readsTouching(root, changes);
  for (const unit of now.filter((u) => u.builds.some((b) => touches(b.reads.entries())))) {
    const after = promoted.find((u) => u.name === unit.name);
    clusters.push({ name: unit.name, from: fluxObjects(unit), ...(after ? { to: fluxObjects(after) } : {}), pruned: unit.pruned });
    if (after) units.push({ name: `cluster ${unit.name}`, resources: after.resources, created: after.created });
  }
  return finishEdits(args, root, files, notes, clusters, units);
}

/**
 * A repository whose environments are folders beside each other (`components/<name>/<layer>/staging`
 * and `…/production`, as d2-infra's): each `to` folder gets what its sibling `from` folder sets, and
 * every `to` folder an edit reaches is shown as it is and as it would be, and validated.
 */
function promoteFolders(args: PromoteArgs, categories: ReadonlySet<TreeCategory>, root: string, folders: { from: string; to: string }[]): number {
  refuseUncommitted(root, folders.map((f) => f.to), args);
  const overlay = (rel: string, name: string): OverlayFiles => ({ name: rel, placeholder: name, files: yamlFiles(path.join(root, rel)) });
  const pairs = folders.map((f) => ({ from: overlay(f.from, args.from), to: overlay(f.to, args.to), where: f.to }));
  const { edits, notes } = promotePairs(pairs, categories);
  if (edits.length === 0) return nothingToPromote(args, notes);

  const files = edits.map((e) => ({ abs: path.resolve(root, e.overlay, e.file), edit: e }));
  const fileCache = new FileCache();
  const promotedCache = new EditedFiles(new Map(files.map(({ abs, edit }) => [abs, edit.after])));
  const clusters: ClusterInput[] = [];
  const units: Resources[] = [];
  for (const folder of new Set(edits.map((e) => e.overlay))) {
    const dir = path.join(root, folder);
    const promoted = render(dir, { fileCache: promotedCache, onWarning: printWarning });
    clusters.push({ name: folder, from: render(dir, { fileCache }), to: promoted });
    units.push({ name: displayPath(dir), resources: promoted });
  }
  return finishEdits(args, root, files, notes, clusters, units);
}

/** Reports edits of files under `root` (validated as `units`) and, with `--write`, writes them all or none. */
function finishEdits(args: PromoteArgs, root: string, files: { abs: string; edit: OverlayEdit }[], notes: string[], clusters: ClusterInput[], units: Resources[]): number {
  const promotion: Promotion = {
    edits: files.map(({ abs, edit }) => ({ file: displayPath(abs), before: edit.before, after: edit.after })),
    regenerated: false,
    notes,
    clusters,
    settings: [],
    validation: validate(validator(), units),
  };
  return finish(args, promotion, () => {
    const entries = files.map(({ abs, edit }) => ({ path: path.relative(root, abs).split(path.sep).join('/'), action: 'update' as const, content: edit.after }));
    applyPlan(root, entries, []);
    return undefined;
  });
}

/** The folder of an environment of a tree without a spec: the path given, or `overlays/<name>`; undefined when neither is one. */
function environmentDir(arg: string): string | undefined {
  return [arg, path.join('overlays', arg)].find((dir) => fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory());
}

/** An environment's overlays: the folder itself when it is one, else its sub-folders that are. */
function readGroup(dir: string): { group: OverlayGroup; dirs: { name: string; dir: string }[]; single?: string } {
  const name = path.basename(path.resolve(dir));
  const dirs = isKustomizationDir(dir)
    ? [{ name, dir }]
    : fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && isKustomizationDir(path.join(dir, e.name)))
        .map((e) => ({ name: e.name, dir: path.join(dir, e.name) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
  const overlays: OverlayFiles[] = dirs.map((d) => ({ name: d.name, files: yamlFiles(d.dir) }));
  return { group: { name, overlays }, dirs, ...(isKustomizationDir(dir) ? { single: name } : {}) };
}

/** The YAML files under an overlay's folder (path relative to it, POSIX) → text; hidden folders skipped. */
function yamlFiles(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of yamlFiles(dir, child)) out.set(k, v);
    else if (entry.isFile() && (/\.ya?ml$/.test(entry.name) || KUSTOMIZATION_FILE_NAMES.includes(entry.name))) out.set(child, readInputFile(path.join(dir, child)));
  }
  return out;
}

/** A kustomize Component is built only by the overlays that use it. */
function isComponent(dir: string): boolean {
  const file = KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  return file !== undefined && /^kind:\s*Component\s*$/m.test(fs.readFileSync(file, 'utf8'));
}

/** The engine's file cache with some files' contents replaced: the promoted tree, rendered without being written. */
class EditedFiles extends FileCache {
  constructor(private readonly edited: ReadonlyMap<string, string>) {
    super();
  }

  override read(absPath: string): Buffer {
    const text = this.edited.get(absPath);
    return text === undefined ? super.read(absPath) : Buffer.from(text);
  }
}

interface Resources {
  name: string;
  resources: readonly Resource[];
  /** Objects present for the set's references though not among its resources. */
  created?: readonly ResourceKey[];
}

function validator(): Validator {
  const cwd = process.cwd();
  const config = loadValidateConfig({ dir: cwd, knownIds: configurableRuleIds() });
  return new Validator(loadCatalog({ projectDir: cwd }), { vars: new Map(), strictVars: false, strictRefs: false, missingSchemas: 'warn', rules: config.rules });
}

/** Each set's findings as validate reports them. */
function validate(checker: Validator, sets: readonly Resources[]): Report {
  const findings: Finding[] = sets.flatMap((set) => checker.validate({ name: set.name, resources: set.resources, ...(set.created ? { created: set.created } : {}) }));
  return {
    tool: { name: 'capifleet', version: toolVersion() },
    units: sets.map((s) => ({ name: s.name, resources: s.resources.map(findingResource) })),
    findings,
    rules: [...RULE_REGISTRY],
  };
}

/**
 * Prints the report and, with `--write` and no validation error, writes (`write` returns why it
 * refused, when it did). A refusal writes nothing and exits 1; so does a dry run whose promoted
 * tree fails validation (it says what `--write` would do).
 */
function finish(args: PromoteArgs, promotion: Promotion, write: () => string | undefined): number {
  const diff = diffClusters({ from: `${args.to} now`, to: `${args.to} promoted` }, promotion.clusters, promotion.settings, { catalog: loadCatalog({ projectDir: process.cwd() }) });
  const failed = promotion.validation.findings.some((f) => f.severity === 'error');
  let refusal = failed ? 'the promoted tree fails validation' : undefined;
  if (args.write && !refusal) refusal = write();
  const outcome: PromoteReport['outcome'] = !args.write ? 'dry-run' : refusal ? 'refused' : 'written';
  const report: PromoteReport = { from: args.from, to: args.to, edits: promotion.edits, regenerated: promotion.regenerated, notes: promotion.notes, diff, validation: promotion.validation, outcome, ...(refusal ? { refusal } : {}) };
  process.stdout.write(PROMOTE_WRITERS[args.output].render(report, { color: args.output === 'text' && useColor(), cwd: process.cwd() }));
  return refusal ? EXIT_FINDINGS : EXIT_OK;
}

function nothingToPromote(args: PromoteArgs, notes: readonly string[] = []): number {
  const line = `promote: nothing to promote: ${args.to} already has what ${args.from} sets${args.only.length ? ` (${args.only.join(', ')})` : ''}`;
  if (args.output === 'json') process.stdout.write(`${JSON.stringify({ apiVersion: PROMOTE_JSON_VERSION, from: args.from, to: args.to, outcome: 'nothing', edits: [], notes }, null, 2)}\n`);
  else process.stdout.write(`${notes.map((n) => `note: ${n}\n`).join('')}${line}\n`);
  return EXIT_OK;
}

/**
 * Refuses (unless `--force`) to write over uncommitted changes to what promote may write (`paths`
 * under `root`, untracked files included): the promotion should be a commit of its own, easy to
 * review and to revert. A dry run writes nothing, so it only warns. Outside a git repository (or
 * without git) there is nothing to ask: a warning says so and the promotion goes on.
 */
function refuseUncommitted(root: string, paths: readonly string[], args: Pick<PromoteArgs, 'write' | 'force'>): void {
  const changed = uncommittedChanges(root, paths);
  if (!changed) {
    printWarning(`${displayPath(root)} is not in a git repository: cannot tell whether it holds uncommitted changes`);
    return;
  }
  if (changed.length === 0 || args.force) return;
  const shown = changed.slice(0, 5).join(', ') + (changed.length > 5 ? ` and ${changed.length - 5} more` : '');
  const message = `uncommitted changes in what promote would write (${shown})`;
  if (!args.write) printWarning(`${message}; --write will refuse them unless --force`);
  else throw new BuildError(`${message}; commit or stash them first, or use --force`);
}
