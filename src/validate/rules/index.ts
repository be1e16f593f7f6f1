import { capiClusterName, capiClusterRefs, capiTemplateRefs } from './capi-refs.js';
import { dnsName } from './dns-name.js';
import { duplicateId } from './duplicate-id.js';
import { fluxDependsOn, fluxDependsOnCycle, fluxKubeConfig, fluxSourceRef, fluxValuesFrom } from './flux-refs.js';
import { providerNameLimits } from './provider-name-limits.js';
import type { Rule } from './rule.js';
import { versionSkew } from './version-skew.js';

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
