import type { Severity } from './finding.js';
import { RULES } from './rules/index.js';

/**
 * A rule id with what it means, for configuration and reports. Ids are `<area>/<check>`: the
 * area says what was read (schema, input, yaml, manifest, fleet) or whose objects a
 * cross-resource rule checks (k8s, capi, flux); a cross-resource rule lives in
 * `rules/<area>/<check>.ts`.
 */
export interface RuleDescriptor {
  id: string;
  defaultSeverity: Severity;
  doc: string;
  /** Its findings mean the input itself is unusable: never configurable, and exit 2 (usage or input error). */
  badInput?: boolean;
  /** Never configurable, though its findings are findings (exit 1): what Flux would refuse to apply. */
  fixed?: boolean;
}

/** What the schema checks (one check per object against its apiVersion and kind) report under. */
const SCHEMA_CHECKS: RuleDescriptor[] = [
  { id: 'schema/unknown-field', defaultSeverity: 'error', doc: 'a field the schema does not define (kubectl --validate=strict rejects it)' },
  { id: 'schema/required-field', defaultSeverity: 'error', doc: 'a field the schema requires is missing' },
  { id: 'schema/type', defaultSeverity: 'error', doc: 'a value of the wrong type' },
  { id: 'schema/enum', defaultSeverity: 'error', doc: 'a value outside the allowed set' },
  { id: 'schema/pattern', defaultSeverity: 'error', doc: 'a string that does not match the required pattern' },
  { id: 'schema/format', defaultSeverity: 'error', doc: 'a value not in the required format (date-time, int32, byte, ...)' },
  { id: 'schema/value', defaultSeverity: 'error', doc: 'a value outside its bounds (length, range, item count, uniqueness)' },
  { id: 'schema/alternatives', defaultSeverity: 'error', doc: 'a value matching none (or more than one) of the allowed alternatives' },
  { id: 'schema/cel', defaultSeverity: 'error', doc: 'a CRD validation rule (x-kubernetes-validations CEL expression) that the object fails' },
  { id: 'schema/removed-version', defaultSeverity: 'error', doc: 'an apiVersion no longer served; the finding names the one to use' },
  { id: 'schema/deprecated-version', defaultSeverity: 'warning', doc: 'an apiVersion still served but deprecated' },
  { id: 'schema/missing', defaultSeverity: 'warning', doc: 'no schema is known for this apiVersion and kind (--missing-schemas)' },
];

/** What reading the input reports under. */
const INPUT_CHECKS: RuleDescriptor[] = [
  { id: 'input/build', defaultSeverity: 'error', doc: 'a kustomization that does not build (as kustomize, or as Flux builds a path it applies)', fixed: true },
  {
    id: 'input/load-restrictor',
    defaultSeverity: 'warning',
    doc: 'a kustomization that builds only with --load-restrictor none (as Flux and CAPI/CAPZ Makefiles build): checked so; pass --load-restrictor to choose',
  },
  { id: 'input/unchecked', defaultSeverity: 'warning', doc: 'a kustomization capifleet cannot build offline or without an option (a remote resource; helmCharts without --enable-helm): not checked' },
  { id: 'input/yaml', defaultSeverity: 'error', doc: 'a manifest file that is not valid YAML', badInput: true },
  { id: 'input/template', defaultSeverity: 'info', doc: 'a template, skipped: a file with ytt annotations (#@), or one that is no valid YAML but holds Go template actions ({{ … }})' },
  { id: 'yaml/duplicate-key', defaultSeverity: 'error', doc: 'a mapping key defined twice (the API server would keep only one)' },
  { id: 'manifest/identity', defaultSeverity: 'error', doc: 'an object without apiVersion, kind or metadata.name' },
  {
    id: 'manifest/not-an-object',
    defaultSeverity: 'info',
    doc: "a tool's configuration file that looks like an object (no metadata; no kind, or one no schema knows: kind, kubeadm, clusterctl configs), skipped",
  },
  { id: 'fleet/spec', defaultSeverity: 'error', doc: 'a fleet spec (fleet.yaml) that capifleet generate would refuse' },
];

/** What following a repository as Flux applies it (the cluster graph) reports under. */
const GRAPH_CHECKS: RuleDescriptor[] = [
  {
    id: 'flux/substitution',
    defaultSeverity: 'error',
    doc: 'post-build substitution Flux would refuse: a variable unset in strict mode, text its envsubst cannot parse, an invalid variable name',
  },
  { id: 'flux/source-not-followed', defaultSeverity: 'info', doc: 'a Flux Kustomization whose source is not this repository: what it applies is not checked' },
];

/** Every id a finding of the validator may carry, in the order reports describe them. */
export const RULE_REGISTRY: readonly RuleDescriptor[] = [
  ...SCHEMA_CHECKS,
  ...RULES.map(({ meta }) => ({ id: meta.id, defaultSeverity: meta.defaultSeverity, doc: meta.doc })),
  ...GRAPH_CHECKS,
  ...INPUT_CHECKS,
];

const BY_ID = new Map(RULE_REGISTRY.map((r) => [r.id, r]));

export function ruleDescriptor(id: string): RuleDescriptor | undefined {
  return BY_ID.get(id);
}

/** Ids of earlier releases, still accepted in `.capifleet.yaml` for the rule that carries the check now. */
export const RULE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['duplicate-resource-id', 'k8s/duplicate-id'],
  ['dns1123-name', 'k8s/dns-name'],
  ['provider-name-limits', 'capi/provider-name-limits'],
  ['capi-cluster-refs', 'capi/cluster-refs'],
  ['capi-template-refs', 'capi/template-refs'],
  ['capi-cluster-name', 'capi/cluster-name'],
  ['capi-version-skew', 'capi/version-skew'],
  ['flux-source-ref', 'flux/source-ref'],
  ['flux-depends-on', 'flux/depends-on'],
  ['flux-depends-on-cycle', 'flux/depends-on-cycle'],
  ['flux-kubeconfig', 'flux/kubeconfig'],
  ['flux-values-from', 'flux/values-from'],
]);

/** Ids `.capifleet.yaml` may switch off or re-grade: all but problems that make the input unusable. */
export function configurableRuleIds(): Set<string> {
  return new Set(RULE_REGISTRY.filter((d) => !d.badInput && !d.fixed).map((d) => d.id));
}

/** Whether a finding's rule means the input was unusable (exit 2). */
export function isBadInputRule(id: string): boolean {
  return BY_ID.get(id)?.badInput === true;
}
