import { capiClusterName } from './capi/cluster-name.js';
import { capiClusterRefs } from './capi/cluster-refs.js';
import { providerNameLimits } from './capi/provider-name-limits.js';
import { capiTemplateRefs } from './capi/template-refs.js';
import { versionSkew } from './capi/version-skew.js';
import { fluxDependsOnCycle } from './flux/depends-on-cycle.js';
import { fluxDependsOn } from './flux/depends-on.js';
import { fluxKubeConfig } from './flux/kubeconfig.js';
import { fluxSourceRef } from './flux/source-ref.js';
import { fluxValuesFrom } from './flux/values-from.js';
import { dnsName } from './k8s/dns-name.js';
import { duplicateId } from './k8s/duplicate-id.js';
import type { Rule } from './rule.js';

/** Every cross-resource rule, in the order they run and are documented. */
export const RULES: readonly Rule[] = [
  duplicateId,
  dnsName,
  providerNameLimits,
  capiClusterRefs,
  capiTemplateRefs,
  capiClusterName,
  versionSkew,
  fluxSourceRef,
  fluxDependsOn,
  fluxDependsOnCycle,
  fluxKubeConfig,
  fluxValuesFrom,
];
