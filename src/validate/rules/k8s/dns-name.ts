import type { Resource } from '../../../engine/resource.js';
import type { GroupKind } from '../../../kubernetes/resource-key.js';
import { DNS_LABEL, DNS_LABEL_MAX } from '../../../kubernetes/names.js';
import { isSopsEncrypted, isSopsEncryptedValue } from '../../../kubernetes/sops.js';
import { holdsVariable } from '../../template-vars.js';
import { isKind, kindsOf } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface NameRule {
  pattern: RegExp;
  max: number;
  what: string;
}

export const SUBDOMAIN: NameRule = { pattern: DNS1123_SUBDOMAIN, max: 253, what: 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")' };
const LABEL: NameRule = { pattern: DNS_LABEL, max: DNS_LABEL_MAX, what: 'a DNS-1123 label (lowercase letters, digits and "-")' };
const LABEL_1035: NameRule = { pattern: DNS1035_LABEL, max: 63, what: 'a DNS-1035 label (starting with a letter; lowercase letters, digits and "-")' };
/** RBAC objects are named by path segments: anything but "/" and "%" (e.g. system:controller:x). */
const PATH_SEGMENT: NameRule = { pattern: /^(?!\.{1,2}$)[^/%]+$/, max: 253, what: 'a path segment (no "/" or "%")' };

/** Core kinds whose API server name check differs from the DNS-1123 subdomain most use. */
const CORE_NAME_RULES: (GroupKind & { rule: NameRule })[] = [
  { group: '', kind: 'Namespace', rule: LABEL },
  { group: '', kind: 'Service', rule: LABEL_1035 },
  ...kindsOf('rbac.authorization.k8s.io', ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']).map((k) => ({ ...k, rule: PATH_SEGMENT })),
];

function nameRule(r: GroupKind): NameRule {
  for (const core of CORE_NAME_RULES) if (isKind(r, core)) return core.rule;
  return SUBDOMAIN;
}

/** A name the API server rejects; templated names are checked once their variables are known. */
export function invalidName(value: string, rule: NameRule): string | undefined {
  if (holdsVariable(value)) return undefined;
  if (value.length > rule.max) return `is ${value.length} characters long; at most ${rule.max} are allowed`;
  if (!rule.pattern.test(value)) return `must be ${rule.what}`;
  return undefined;
}

/**
 * SOPS may encrypt metadata too; Flux decrypts it before applying, so its name is unknown here.
 * Asked only of a name found invalid: this rule visits every object of a set.
 */
function encrypted(resource: Resource, value: string): boolean {
  return isSopsEncrypted(resource.obj) && isSopsEncryptedValue(value);
}

export const dnsName: Rule = {
  meta: { id: 'k8s/dns-name', defaultSeverity: 'error', doc: 'metadata.name and metadata.namespace are names the API server accepts (DNS-1123)' },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.all) {
      const { resource, name, declaredNamespace: namespace } = r;
      const rule = nameRule(r);
      const nameProblem = invalidName(name, rule);
      if (nameProblem && !encrypted(resource, name)) out.push({ resource, path: '/metadata/name', message: `name "${name}" ${nameProblem}`, expected: rule.what, actual: name });
      const nsProblem = namespace ? invalidName(namespace, LABEL) : undefined;
      if (nsProblem && !encrypted(resource, namespace)) out.push({ resource, path: '/metadata/namespace', message: `namespace "${namespace}" ${nsProblem}`, expected: LABEL.what, actual: namespace });
    }
    return out;
  },
};
