import { statefulRemoval } from '../../../../src/diff/dangers/k8s/stateful-removal.js';
import { dangerTable } from '../harness.js';

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n---\n';
const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: apps}\nspec: {accessModes: [ReadWriteOnce]}\n---\n';
const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec: {group: example.com}\n---\n';
const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: apps}\n---\n';

dangerTable(statefulRemoval, [
  { name: 'kept', from: ns + pvc + crd, to: ns + pvc + crd, expected: [] },
  { name: 'a namespace, a claim and a CRD removed', from: ns + pvc + crd + sa, to: sa, expected: ['c0 apps', 'c0 data', 'c0 widgets.example.com'] },
  { name: 'a service account removed is not stateful', from: sa, to: '', expected: [] },
]);
