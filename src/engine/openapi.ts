import type { Gvk } from './resid.js';

/**
 * Built-in kinds that kustomize v5.5.0 knows to be cluster-scoped (Kubernetes v1.21.2). Only these
 * lose their namespace in identity checks; any other kind, CRDs included, counts as namespaced.
 */
const CLUSTER_SCOPED: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apiregistration.k8s.io/v1beta1': ['APIService'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IngressClass'],
  'networking.k8s.io/v1beta1': ['IngressClass'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'node.k8s.io/v1beta1': ['RuntimeClass'],
  'policy/v1beta1': ['PodSecurityPolicy'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'scheduling.k8s.io/v1beta1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  v1: ['ComponentStatus', 'Namespace', 'Node', 'NodeProxyOptions', 'PersistentVolume'],
};
const CLUSTER_SCOPED_SET = new Set(
  Object.entries(CLUSTER_SCOPED).flatMap(([av, kinds]) => kinds.map((k) => `${av}|${k}`)),
);

/** The kinds' names alone: most kinds asked about are none of them, and are told so without building a key. */
const CLUSTER_SCOPED_KINDS = new Set(Object.values(CLUSTER_SCOPED).flat());

export function isClusterScopedKind(gvk: Gvk): boolean {
  if (!CLUSTER_SCOPED_KINDS.has(gvk.kind)) return false;
  const av = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  return CLUSTER_SCOPED_SET.has(`${av}|${gvk.kind}`);
}
