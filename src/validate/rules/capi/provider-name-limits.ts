import { CAPI_GROUP, INFRASTRUCTURE_GROUP } from '../../../kubernetes/api-groups.js';
import { getPath } from '../../../json/value.js';
import { invalidName, SUBDOMAIN, type NameRule } from '../k8s/dns-name.js';
import { isOneOf, kindsOf, type IndexedResource } from '../resource-index.js';
import type { Rule, RuleFinding } from '../rule.js';

/** Cluster API copies these names into label values (`cluster.x-k8s.io/cluster-name`, ...): at most 63 characters. */
const LABEL_VALUE_NAME: NameRule = { ...SUBDOMAIN, max: 63, what: 'a DNS-1123 subdomain of at most 63 characters (it becomes a label value)' };

/** AKS agent pool names: lowercase letters and digits, starting with a letter; 12 at most (6 for Windows). */
const AKS_POOL: NameRule = { pattern: /^[a-z][a-z0-9]*$/, max: 12, what: 'an AKS agent pool name (lowercase letters and digits, starting with a letter, at most 12)' };
const AKS_WINDOWS_POOL: NameRule = { ...AKS_POOL, max: 6, what: 'a Windows AKS agent pool name (lowercase letters and digits, starting with a letter, at most 6)' };

const LABEL_VALUE_KINDS = kindsOf(CAPI_GROUP, ['Cluster', 'MachineDeployment', 'MachinePool', 'MachineSet']);
const AKS_POOL_KINDS = kindsOf(INFRASTRUCTURE_GROUP, ['AzureManagedMachinePool', 'AzureManagedMachinePoolTemplate']);

export const providerNameLimits: Rule = {
  meta: { id: 'capi/provider-name-limits', defaultSeverity: 'error', doc: 'names within Cluster API and provider (AKS) limits' },
  check({ index }) {
    const out: RuleFinding[] = [];
    for (const r of index.ofKinds([...LABEL_VALUE_KINDS, ...AKS_POOL_KINDS])) {
      if (isOneOf(r, AKS_POOL_KINDS)) {
        out.push(...aksPoolName(r));
        continue;
      }
      const problem = invalidName(r.name, LABEL_VALUE_NAME);
      if (problem) out.push({ resource: r.resource, path: '/metadata/name', message: `${r.kind} name "${r.name}" ${problem}`, expected: LABEL_VALUE_NAME.what, actual: r.name });
    }
    return out;
  },
};

/** The agent pool is named by spec.name, or by the object's name when unset. */
function aksPoolName(r: IndexedResource): RuleFinding[] {
  const specPath = r.kind.endsWith('Template') ? ['spec', 'template', 'spec'] : ['spec'];
  const spec = getPath(r.resource.obj, specPath);
  const explicit = getPath(spec, ['name']);
  const name = typeof explicit === 'string' ? explicit : r.name;
  const path = typeof explicit === 'string' ? `/${specPath.join('/')}/name` : '/metadata/name';
  const rule = getPath(spec, ['osType']) === 'Windows' ? AKS_WINDOWS_POOL : AKS_POOL;
  const problem = invalidName(name, rule);
  return problem ? [{ resource: r.resource, path, message: `agent pool name "${name}" ${problem}`, expected: rule.what, actual: name }] : [];
}
