import { DNS_LABEL, DNS_LABEL_MAX } from '../kubernetes/names.js';
import type { Provider } from './types.js';


/**
 * What is wrong with a name the spec gives (fleet, namespace, environment, cluster, add-on, node
 * pool), or undefined when it is a valid DNS-1123 label. Names become folder names of the
 * generated tree, so a path-like name is called out as such rather than as a bad label.
 */
export function nameProblem(name: string): string | undefined {
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    return `would escape the generated tree: names become folders under base/ and overlays/, so they may not be "." or ".." or contain "/" or "\\"`;
  }
  if (!DNS_LABEL.test(name)) {
    return `is not a DNS-1123 label: use lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  if (name.length > DNS_LABEL_MAX) {
    return `is ${name.length} characters long; a DNS-1123 label has at most ${DNS_LABEL_MAX}`;
  }
  return undefined;
}

/** A provider's stricter limit on a name, with the reason a person can check. */
export interface NameLimit {
  max: number;
  pattern?: RegExp;
  /** Why the limit exists, shown in the message. */
  why: string;
}

const AKS_CLUSTER: NameLimit = {
  max: 54,
  why: 'the AKS DNS prefix is the cluster name, and AKS allows at most 54 characters there',
};

/** Limits on the cluster name beyond DNS-1123, by provider. */
export const CLUSTER_NAME_LIMITS: Record<Provider, NameLimit | undefined> = {
  aks: AKS_CLUSTER,
  'aks-azuremanaged': AKS_CLUSTER,
  azure: {
    max: 54,
    pattern: /^[a-z]/,
    why: "CAPZ names the API server's public DNS label <cluster>-<8 hex digits>, and Azure DNS labels have at most 63 characters and start with a letter",
  },
  docker: undefined,
};

const AKS_POOL: NameLimit = {
  max: 12,
  pattern: /^[a-z][a-z0-9]*$/,
  why: 'AKS agent pool names are lowercase letters and digits, start with a letter, and have at most 12 characters (Linux pools)',
};

/** Limits on node pool names beyond DNS-1123, by provider. */
export const NODE_POOL_NAME_LIMITS: Record<Provider, NameLimit | undefined> = {
  aks: AKS_POOL,
  'aks-azuremanaged': AKS_POOL,
  azure: undefined,
  docker: undefined,
};

/** Whether a name breaks a provider limit. */
export function breaksLimit(name: string, limit: NameLimit | undefined): boolean {
  return limit !== undefined && (name.length > limit.max || (limit.pattern !== undefined && !limit.pattern.test(name)));
}

/** AKS's limit on the node resource group CAPZ's AzureManagedControlPlane webhook names MC_<group>_<cluster>_<location>. */
export const AKS_NODE_RESOURCE_GROUP_MAX = 80;
