import type { FieldSpec } from '../fieldspec.js';

/*
 * kustomize v5.5.0's default `varReference` field specs: the only fields where `$(VAR)` is
 * replaced unless a `configurations:` file adds more. Established by rendering every kind with
 * `$(VAR)` in each candidate field through kubectl kustomize; notably ConfigMap data is not in it.
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

/** NFS volume servers are covered for these kinds only (not CronJob or StatefulSet). */
const NFS_SERVER_KINDS = new Set(['DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet']);

export const DEFAULT_VAR_REFERENCES: FieldSpec[] = [
  ...POD_SPECS.flatMap(([kind, podSpec]) => [
    ...['containers', 'initContainers'].flatMap((list) =>
      CONTAINER_FIELDS.map((field): FieldSpec => ({ path: `${podSpec}/${list}/${field}`, kind })),
    ),
    ...(NFS_SERVER_KINDS.has(kind) ? [{ path: `${podSpec}/volumes/nfs/server`, kind }] : []),
  ]),
  { path: 'spec/template/metadata/annotations', kind: 'Deployment' },
  { path: 'spec/rules/host', kind: 'Ingress' },
  { path: 'spec/tls/hosts', kind: 'Ingress' },
  { path: 'spec/tls/secretName', kind: 'Ingress' },
  { path: 'spec/ports/port', kind: 'Service' },
  { path: 'spec/ports/targetPort', kind: 'Service' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];
