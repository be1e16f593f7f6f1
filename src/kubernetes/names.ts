/** Kubernetes' limit for a DNS-1123 label, a label value and most derived names. */
export const DNS_LABEL_MAX = 63;

/** A DNS-1123 label: what Kubernetes requires of most names and label values. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
