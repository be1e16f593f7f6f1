import { majorChartBump } from '../../../../src/diff/dangers/helm/major-bump.js';
import { dangerTable } from '../harness.js';

const hr = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ingress, namespace: fleet}
spec: {chart: {spec: {chart: ingress-nginx, version: "${version}"}}}
`;

dangerTable(majorChartBump, [
  { name: 'a minor bump', from: hr('4.11.3'), to: hr('4.12.0'), expected: [] },
  { name: 'a major bump', from: hr('4.11.3'), to: hr('5.0.0'), expected: ['c0 ingress spec.chart.spec.version'], message: /4\.11\.3 → 5\.0\.0/ },
  { name: 'v-prefixed', from: hr('v1.16.2'), to: hr('v2.0.1'), expected: ['c0 ingress spec.chart.spec.version'] },
  { name: 'a 0.x minor bump breaks', from: hr('0.4.1'), to: hr('0.5.0'), expected: ['c0 ingress spec.chart.spec.version'] },
  { name: 'a version range is not read', from: hr('>=4.0.0'), to: hr('>=5.0.0'), expected: [] },
]);
