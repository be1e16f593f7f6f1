import { suspendFlipped } from '../../../../src/diff/dangers/flux/suspend.js';
import { dangerTable } from '../harness.js';

const hr = (suspend: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: apps}
spec: {interval: 10m${suspend}}
`;

dangerTable(suspendFlipped, [
  { name: 'unchanged', from: hr(', suspend: true'), to: hr(', suspend: true'), expected: [] },
  { name: 'suspended', from: hr(''), to: hr(', suspend: true'), expected: ['c0 app spec.suspend'], message: /is suspended/ },
  { name: 'resumed', from: hr(', suspend: true'), to: hr(', suspend: false'), expected: ['c0 app spec.suspend'], message: /is resumed/ },
  { name: 'false to absent is no flip', from: hr(', suspend: false'), to: hr(''), expected: [] },
]);
