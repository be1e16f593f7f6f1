import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildError } from '../../errors.js';
import { yamlLibrary } from '../../libraries.js';
import { parseDocuments } from '../../yaml/parse.js';
import { clone, isObject, type JsonObject } from '../../json/value.js';
import type { Loader } from '../loader.js';
import type { Resource } from '../resource.js';
import { resourcesFromDocuments } from '../resources.js';
import type { HelmChart } from '../types.js';

export interface HelmSettings {
  /** `--enable-helm` was given. */
  enabled: boolean;
  /** The helm binary to run. */
  command: string;
  chartHome?: string;
  configHome?: string;
}

const MERGE_MODES = ['override', 'merge', 'replace'];

/**
 * kustomize's HelmChartInflationGenerator: `helm template` of a chart found under chartHome
 * (pulled there first when a repo is given), with valuesInline merged over the values file.
 */
export function inflateHelmChart(chart: HelmChart, settings: HelmSettings, loader: Loader): Resource[] {
  if (!settings.enabled) {
    throw new BuildError(`helmCharts entry '${chart.name ?? ''}' needs --enable-helm (and a helm v3 binary on PATH)`);
  }
  if (!chart.name) throw new BuildError('helmCharts: chart name cannot be empty');
  const mergeMode = chart.valuesMerge || 'override';
  if (!MERGE_MODES.includes(mergeMode)) throw new BuildError(`helmCharts: valuesMerge must be one of [${MERGE_MODES.join(' ')}]`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-helm-'));
  try {
    const configHome = settings.configHome ?? path.join(tmp, 'helm');
    const run = (args: string[]): string => runHelm(settings.command, args, configHome);
    checkHelmVersion(run(['version', '-c', '--short']));
    const chartHome = path.resolve(loader.root, settings.chartHome ?? 'charts');
    const chartDir = chartDirectory(chart, chartHome);
    if (!isDirectory(chartDir)) {
      if (!chart.repo) throw new BuildError(`no repo specified for pull, no chart found at '${chartDir}'`);
      run(['pull', '--untar', '--untardir', path.dirname(chartDir), '--repo', chart.repo, chart.name, ...(chart.version ? ['--version', chart.version] : [])]);
    }
    const valuesFile = writeValues(chart, mergeMode, chartHome, loader, tmp);
    const out = run(templateArgs(chart, chartDir, valuesFile, loader));
    const source = `helm template ${chart.name}`;
    // helm may print notes before the first document separator
    const docs = tryParse(out, source) ?? tryParse(out.slice(Math.max(0, out.indexOf('\n---\n'))), source);
    if (!docs) throw new BuildError(`helm template output for chart '${chart.name}' is not valid YAML`);
    return resourcesFromDocuments(docs, source);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function chartDirectory(chart: HelmChart, chartHome: string): string {
  // a pinned remote chart lives in its own versioned folder, so versions can sit side by side
  if (chart.version && chart.repo) return path.join(chartHome, `${chart.name}-${chart.version}`, chart.name!);
  return path.join(chartHome, chart.name!);
}

function templateArgs(chart: HelmChart, chartDir: string, valuesFile: string | undefined, loader: Loader): string[] {
  const args = ['template'];
  if (chart.releaseName) args.push(chart.releaseName);
  else args.push('--generate-name');
  if (chart.namespace) args.push('--namespace', chart.namespace);
  if (chart.nameTemplate) args.push('--name-template', chart.nameTemplate);
  args.push(chartDir);
  if (valuesFile) args.push('--values', valuesFile);
  for (const f of chart.additionalValuesFiles ?? []) args.push('-f', loader.resolve(f));
  for (const v of chart.apiVersions ?? []) args.push('--api-versions', v);
  if (chart.kubeVersion) args.push('--kube-version', chart.kubeVersion);
  if (chart.includeCRDs) args.push('--include-crds');
  if (chart.skipTests) args.push('--skip-tests');
  if (chart.skipHooks) args.push('--no-hooks');
  return args;
}

/** The values helm gets: the chart's values file with valuesInline merged over it (or instead of it). */
function writeValues(chart: HelmChart, mode: string, chartHome: string, loader: Loader, tmp: string): string | undefined {
  const valuesRef = chart.valuesFile ?? path.relative(loader.root, path.join(chartHome, chart.name!, 'values.yaml'));
  const inline = isObject(chart.valuesInline) ? (chart.valuesInline as JsonObject) : undefined;
  const readFileValues = (): JsonObject => {
    if (!loader.isFile(valuesRef) && !chart.valuesFile) return {};
    const docs = parseDocuments(loader.load(valuesRef), loader.resolve(valuesRef));
    const v = docs[0]?.value;
    return isObject(v) ? v : {};
  };
  let values: JsonObject;
  if (!inline || Object.keys(inline).length === 0) values = readFileValues();
  else if (mode === 'replace') values = clone(inline);
  else values = mergeValues(readFileValues(), inline, mode === 'override');
  const file = path.join(tmp, `${chart.name}-kustomize-values.yaml`);
  fs.writeFileSync(file, yamlLibrary().stringify(values));
  return file;
}

/** Deep merge of maps; `override` lets inline scalars win, otherwise the file's existing values stay. */
function mergeValues(base: JsonObject, over: JsonObject, override: boolean): JsonObject {
  const out = clone(base);
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    if (isObject(cur) && isObject(v)) out[k] = mergeValues(cur, v, override);
    else if (override || cur === undefined || cur === null) out[k] = clone(v);
  }
  return out;
}

function runHelm(command: string, args: string[], configHome: string): string {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: {
      ...process.env,
      HELM_CONFIG_HOME: configHome,
      HELM_CACHE_HOME: path.join(configHome, '.cache'),
      HELM_DATA_HOME: path.join(configHome, '.data'),
    },
  });
  if (r.error) {
    throw new BuildError(`cannot run '${command}': ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH (is helm installed?)' : r.error.message}`);
  }
  if (r.status !== 0) throw new BuildError(`'${command} ${args.join(' ')}' failed: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

function checkHelmVersion(out: string): void {
  const v = /v?(\d+)(\.\d+)+/.exec(out);
  if (!v) throw new BuildError(`cannot find a version in helm's output: ${out.trim()}`);
  if (v[1] !== '3') throw new BuildError(`helmCharts need helm v3, found ${v[0]}`);
}

function tryParse(text: string, source: string): ReturnType<typeof parseDocuments>[number]['value'][] | undefined {
  try {
    return parseDocuments(text, source).map((d) => d.value);
  } catch {
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
