/**
 * The schemas a set of objects is checked against: the catalog (bundled and imported), with what
 * the set's own cluster serves otherwise — the CustomResourceDefinitions it applies, and Flux
 * Operator's additions to Flux's schemas where a FluxInstance installs its Flux.
 */
import type { Resource } from '../engine/resource.js';
import { getPath, isObject, type JsonObject } from '../json/value.js';
import { FLUX_HELM_GROUP, FLUX_OPERATOR_GROUP, FLUX_SOURCE_GROUP } from '../kubernetes/api-groups.js';
import { parseApiVersion } from '../kubernetes/resource-key.js';
import { KindOverrides, type SchemaCatalog } from '../schemas/catalog.js';
import { fluxOperatorEntries } from '../schemas/flux-operator.js';
import { appliedCrdEntries } from '../schemas/repository-crds.js';

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';

/**
 * The catalog the objects of a set see, or undefined when it is the catalog itself. `fluxOperator`:
 * the set's cluster is known to get its Flux from a FluxInstance (its entry point says so) even
 * when the set does not hold it.
 */
export function unitCatalog(base: SchemaCatalog, resources: readonly Resource[], fluxOperator = false): KindOverrides | undefined {
  let catalog: KindOverrides | undefined;
  // only the CRDs of kinds the set holds objects of are converted: a folder of CRDs alone costs nothing
  const applied = resources.filter((r) => r.obj.apiVersion === CRD_API_VERSION && r.obj.kind === 'CustomResourceDefinition');
  // every build and every cluster comes here, most without a CRD: the set's kinds are listed only for those with one
  const kinds = new Set(applied.length ? resources.map((r) => `${r.gvk.group}/${r.kind}`) : []);
  const crds = applied.filter((r) => kinds.has(definedKind(r.obj)));
  if (crds.length) {
    const entries = appliedCrdEntries(crds.map((r) => ({ value: r.obj, ...(r.state.source ? { file: r.state.source.file, line: r.state.source.line } : {}) })));
    if (entries.length) catalog = new KindOverrides(base, entries);
  }
  if (fluxOperator || deploysFluxThroughFluxInstance(resources)) catalog = new KindOverrides(catalog ?? base, fluxOperatorEntries(catalog ?? base));
  return catalog;
}

/** `group/Kind` of the objects a CRD defines. */
function definedKind(crd: JsonObject): string {
  return `${String(getPath(crd, ['spec', 'group']))}/${String(getPath(crd, ['spec', 'names', 'kind']))}`;
}

/** Whether the catalog checks an object of this apiVersion and kind otherwise than the catalog itself. */
export function overridden(catalog: KindOverrides, apiVersion: string, kind: string): boolean {
  return catalog.overrides(parseApiVersion(apiVersion).group, kind);
}

/**
 * A FluxInstance, or a HelmRelease of Flux Operator's flux-instance chart (named in the
 * HelmRelease, or the chart of the OCIRepository its chartRef names), is how Flux is installed
 * here.
 */
export function deploysFluxThroughFluxInstance(resources: readonly Resource[]): boolean {
  // every build and every cluster is asked: the set's chart repositories are listed only when a chartRef needs them
  let chartRepositories: Set<string> | undefined;
  return resources.some((r) => {
    const kind = r.kind;
    if (kind === 'FluxInstance') return r.gvk.group === FLUX_OPERATOR_GROUP;
    if (kind !== 'HelmRelease' || r.gvk.group !== FLUX_HELM_GROUP || !isObject(r.obj.spec)) return false;
    const chartRef = r.obj.spec.chartRef;
    if (isObject(chartRef) && chartRef.kind === 'OCIRepository' && typeof chartRef.name === 'string') return (chartRepositories ??= fluxInstanceChartRepositories(resources)).has(chartRef.name);
    return getPath(r.obj.spec, ['chart', 'spec', 'chart']) === FLUX_INSTANCE_CHART;
  });
}

/** Names of the set's OCIRepositories of Flux Operator's flux-instance chart. */
function fluxInstanceChartRepositories(resources: readonly Resource[]): Set<string> {
  return new Set(
    resources
      .filter((r) => r.kind === 'OCIRepository' && r.gvk.group === FLUX_SOURCE_GROUP && isFluxInstanceChart(getPath(r.obj, ['spec', 'url'])))
      .map((r) => r.name),
  );
}

const FLUX_INSTANCE_CHART = 'flux-instance';

function isFluxInstanceChart(url: unknown): boolean {
  return typeof url === 'string' && url.replace(/\/+$/, '').endsWith(`/${FLUX_INSTANCE_CHART}`);
}
