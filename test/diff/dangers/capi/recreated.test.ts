import { clusterRecreated } from '../../../../src/diff/dangers/capi/recreated.js';
import { dangerTable } from '../harness.js';

const cluster = (name: string) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: ${name}, namespace: fleet}
spec: {paused: false}
---
`;
const pool = (name: string, replicas = 1) => `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachinePool
metadata: {name: ${name}, namespace: fleet}
spec: {clusterName: c, replicas: ${replicas}}
---
`;
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: fleet}\ndata: {a: b}\n';

dangerTable(clusterRecreated, [
  { name: 'a pool scaled is not recreated', from: cluster('c') + pool('c-user', 1), to: cluster('c') + pool('c-user', 3), expected: [] },
  { name: 'a cluster renamed', from: cluster('eu-1'), to: cluster('eu-2'), expected: ['c0 eu-1'], message: /renamed to eu-2/ },
  { name: 'a node pool removed', from: cluster('c') + pool('c-user'), to: cluster('c'), expected: ['c0 c-user'], message: /is removed/ },
  { name: 'a node pool renamed', from: pool('c-user'), to: pool('c-workers'), expected: ['c0 c-user'], message: /renamed to c-workers/ },
  { name: 'an ordinary object removed is not this danger', from: cluster('c') + configMap, to: cluster('c'), expected: [] },
]);
