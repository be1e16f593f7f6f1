/** The API groups of Cluster API and Flux, named once for the code that writes their objects and the code that checks them. */

export const CAPI_GROUP = 'cluster.x-k8s.io';
export const BOOTSTRAP_GROUP = 'bootstrap.cluster.x-k8s.io';
export const CONTROL_PLANE_GROUP = 'controlplane.cluster.x-k8s.io';
export const INFRASTRUCTURE_GROUP = 'infrastructure.cluster.x-k8s.io';

export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const FLUX_IMAGE_GROUP = 'image.toolkit.fluxcd.io';
export const FLUX_NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';

/** Flux Operator (FluxInstance, ResourceSet, …), which installs and drives Flux. */
export const FLUX_OPERATOR_GROUP = 'fluxcd.controlplane.io';
