import { pruneDeletion } from '../../../../src/diff/dangers/flux/prune-deletion.js';
import { dangerTable } from '../harness.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: apps}\ndata: {a: b}\n---\n`;
const ks = (prune: boolean) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {interval: 10m, path: ./apps, prune: ${prune}, sourceRef: {kind: GitRepository, name: fleet}}
---
`;

dangerTable(pruneDeletion, [
  { name: 'nothing removed', from: cm('a'), to: cm('a'), expected: [] },
  { name: 'an object removed from a pruned build', from: cm('a') + cm('b'), to: cm('a'), expected: ['c0'], message: /1 object no longer in the build.*ConfigMap apps\/b/ },
  { name: 'removed without prune is left in the cluster', from: cm('a') + cm('b'), to: cm('a'), unpruned: true, expected: [] },
  { name: 'a pruning Kustomization removed', from: ks(true), to: '', unpruned: true, expected: ['c0 apps'], message: /deletes everything it applied/ },
  { name: 'a Kustomization without prune removed', from: ks(false), to: '', unpruned: true, expected: [] },
  { name: 'a generated ConfigMap renamed is no deletion', from: cm('cfg-7f8h9kdt5m'), to: cm('cfg-c2g6b5k4t8'), expected: [] },
  {
    name: 'a machine template replaced by its successor under a new spec hash is no deletion',
    from: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureMachineTemplate\nmetadata: {name: md-1-65a34140, namespace: fleet}\n',
    to: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureMachineTemplate\nmetadata: {name: md-1-772d304c, namespace: fleet}\n',
    expected: [],
  },
]);
