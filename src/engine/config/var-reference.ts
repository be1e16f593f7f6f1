import type { FieldSpec } from '../fieldspec.js';

/*
 * kustomize v5.5.0's default `varReference` field specs: the only fields where `$(VAR)` is
 * replaced unless a `configurations:` file adds more (kustomize's builtinpluginconsts/varreference.go);
 * notably ConfigMap data is not in it.
 */

/** Where each workload kind keeps its pod spec. */
const POD_SPECS: [kind: string, podSpec: string][] = [
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['Pod', 'spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
];

const CONTAINER_FIELDS = ['args', 'command', 'env/value', 'volumeMounts/mountPath'];

/**
 * Where each kind's NFS server is, as kustomize lists it (its CronJob path misses the pod spec's
 * `spec`, and StatefulSets have it under volumeClaimTemplates; both kept as they are there).
 */
const NFS_SERVERS: Record<string, string> = {
  CronJob: 'spec/jobTemplate/spec/template/volumes/nfs/server',
  DaemonSet: 'spec/template/spec/volumes/nfs/server',
  Deployment: 'spec/template/spec/volumes/nfs/server',
  Job: 'spec/template/spec/volumes/nfs/server',
  Pod: 'spec/volumes/nfs/server',
  ReplicaSet: 'spec/template/spec/volumes/nfs/server',
  StatefulSet: 'spec/volumeClaimTemplates/spec/nfs/server',
};

export const DEFAULT_VAR_REFERENCES: FieldSpec[] = [
  ...POD_SPECS.flatMap(([kind, podSpec]) => [
    ...['containers', 'initContainers'].flatMap((list) =>
      CONTAINER_FIELDS.map((field): FieldSpec => ({ path: `${podSpec}/${list}/${field}`, kind })),
    ),
    { path: NFS_SERVERS[kind]!, kind },
  ]),
  { path: 'spec/template/metadata/annotations', kind: 'Deployment' },
  { path: 'spec/rules/host', kind: 'Ingress' },
  { path: 'spec/tls/hosts', kind: 'Ingress' },
  { path: 'spec/tls/secretName', kind: 'Ingress' },
  { path: 'spec/ports/port', kind: 'Service' },
  { path: 'spec/ports/targetPort', kind: 'Service' },
  { path: 'spec/nfs/server', kind: 'PersistentVolume' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];
