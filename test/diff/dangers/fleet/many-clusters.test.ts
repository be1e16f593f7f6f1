import { manyClusters } from '../../../../src/diff/dangers/fleet/many-clusters.js';
import { dangerTable } from '../harness.js';

const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: apps}\ndata: {v: "${v}"}\n`;

dangerTable(manyClusters, [
  { name: 'a few clusters', from: cm('1'), to: cm('2'), clusters: 9, expected: [] },
  { name: 'ten clusters', from: cm('1'), to: cm('2'), clusters: 10, expected: [''], message: /^10 of 10 clusters change at once$/ },
  { name: 'many clusters, none changed', from: cm('1'), to: cm('1'), clusters: 20, expected: [] },
]);
