import type { FieldSpec } from '../fieldspec.js';

/**
 * One `nameReference` entry of a transformer configuration: the kind of object that is referred
 * to by name (empty fields match anything), and the fields of other objects holding that name.
 */
export interface NameBackReferences {
  group?: string;
  version?: string;
  kind?: string;
  fieldSpecs: FieldSpec[];
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: [kind: string, podSpec: string][] = [
  ['Pod', 'spec'],
  ['PodTemplate', 'template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
];

/** The same pod-spec fields in every workload kind; the Pod entries alone are pinned to v1. */
function inPodSpecs(fields: string[]): FieldSpec[] {
  return POD_SPEC_PATHS.flatMap(([kind, podSpec]) =>
    fields.map((f): FieldSpec => ({ ...(kind === 'Pod' ? { version: 'v1' } : {}), kind, path: `${podSpec}/${f}` })),
  );
}

/** A pod-spec field of the workloads that kustomize lists for service accounts, claims and priority classes. */
function inWorkloads(field: string): FieldSpec[] {
  return [
    { kind: 'Pod', path: `spec/${field}` },
    ...['StatefulSet', 'Deployment', 'ReplicationController'].map((kind) => ({ kind, path: `spec/template/spec/${field}` })),
    { kind: 'CronJob', path: `spec/jobTemplate/spec/template/spec/${field}` },
    ...['Job', 'DaemonSet'].map((kind) => ({ kind, path: `spec/template/spec/${field}` })),
  ];
}

const scaleTarget: FieldSpec[] = [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }];
const rbacGroup = 'rbac.authorization.k8s.io';

/** kustomize v5.5.0's built-in nameReference table. */
export const DEFAULT_NAME_REFERENCES: NameBackReferences[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({ kind, fieldSpecs: scaleTarget })),
  {
    kind: 'ConfigMap',
    version: 'v1',
    fieldSpecs: [
      ...inPodSpecs([
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      { kind: 'Node', path: 'spec/configSource/configMap' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
    ],
  },
  {
    kind: 'Secret',
    version: 'v1',
    fieldSpecs: [
      ...inPodSpecs([
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      { kind: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((p) => ({ kind: 'StorageClass', path: `parameters/${p}` })),
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { group: 'serving.knative.dev', version: 'v1', kind: 'Service', path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name' },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    kind: 'Service',
    version: 'v1',
    fieldSpecs: [
      { group: 'apps', kind: 'StatefulSet', path: 'spec/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
      { kind: 'Ingress', path: 'spec/defaultBackend/service/name' },
      { group: 'apiregistration.k8s.io', kind: 'APIService', path: 'spec/service/name' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
    ],
  },
  { group: rbacGroup, kind: 'Role', fieldSpecs: [{ group: rbacGroup, kind: 'RoleBinding', path: 'roleRef/name' }] },
  {
    group: rbacGroup,
    kind: 'ClusterRole',
    fieldSpecs: [
      { group: rbacGroup, kind: 'RoleBinding', path: 'roleRef/name' },
      { group: rbacGroup, kind: 'ClusterRoleBinding', path: 'roleRef/name' },
    ],
  },
  {
    kind: 'ServiceAccount',
    version: 'v1',
    fieldSpecs: [
      { group: rbacGroup, kind: 'RoleBinding', path: 'subjects' },
      { group: rbacGroup, kind: 'ClusterRoleBinding', path: 'subjects' },
      ...inWorkloads('serviceAccountName'),
    ],
  },
  { kind: 'PersistentVolumeClaim', version: 'v1', fieldSpecs: inWorkloads('volumes/persistentVolumeClaim/claimName') },
  {
    kind: 'PersistentVolume',
    version: 'v1',
    fieldSpecs: [
      { kind: 'PersistentVolumeClaim', path: 'spec/volumeName' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
    ],
  },
  {
    kind: 'StorageClass',
    version: 'v1',
    group: 'storage.k8s.io',
    fieldSpecs: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io', fieldSpecs: inWorkloads('priorityClassName') },
  {
    kind: 'IngressClass',
    version: 'v1',
    // kustomize's table has the version inside the group, so no IngressClass ever matches
    group: 'networking.k8s.io/v1',
    fieldSpecs: [{ kind: 'Ingress', path: 'spec/ingressClassName' }],
  },
  {
    kind: 'ValidatingAdmissionPolicy',
    group: 'admissionregistration.k8s.io',
    fieldSpecs: [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding', path: 'spec/policyName' }],
  },
];
