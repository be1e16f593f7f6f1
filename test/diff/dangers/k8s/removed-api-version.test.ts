import { removedApiVersion } from '../../../../src/diff/dangers/k8s/removed-api-version.js';
import { dangerTable } from '../harness.js';

const deployment = (apiVersion: string, replicas: number) => `apiVersion: ${apiVersion}
kind: Deployment
metadata: {name: web, namespace: apps}
spec: {replicas: ${replicas}}
`;
const cluster = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: Cluster\nmetadata: {name: c, namespace: f}\nspec: {paused: true}\n`;

dangerTable(removedApiVersion, [
  { name: 'a served version', from: deployment('apps/v1', 1), to: deployment('apps/v1', 2), expected: [] },
  { name: 'moved to a version long removed', from: deployment('apps/v1', 1), to: deployment('extensions/v1beta1', 1), expected: ['c0 web apiVersion'], message: /extensions\/v1beta1 is not served by Kubernetes 1\.33 \(bundled schemas\); use apps\/v1/ },
  { name: 'a CAPI version that does not exist', from: '', to: cluster('cluster.x-k8s.io/v1alpha3'), expected: ['c0 c apiVersion'], message: /v1alpha3 is not served by Cluster API v1\.\d+ \(bundled schemas\); use cluster\.x-k8s\.io\/v1beta2/ },
  { name: 'a kind no schema knows is not judged', from: '', to: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n', expected: [] },
]);
