/** Kubernetes' limit for a DNS-1123 label, a label value and most derived names. */
export const DNS_LABEL_MAX = 63;

/** A DNS-1123 label: what Kubernetes requires of most names and label values. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Hex digits of the spec hash that ends the name `generate` gives a machine template whose spec
 * cannot change in place (`<cluster>-<pool>-<hash>`): a changed spec is a new template.
 */
export const TEMPLATE_HASH_LENGTH = 8;

const TEMPLATE_HASH_SUFFIX = new RegExp(`^(.+)-[0-9a-f]{${TEMPLATE_HASH_LENGTH}}$`);

/** A machine template's name without its spec hash, or undefined for a name without one. */
export function templateStem(name: string): string | undefined {
  return TEMPLATE_HASH_SUFFIX.exec(name)?.[1];
}
