import { versionSkew } from '../../../../src/validate/rules/capi/version-skew.js';
import { clusterWithRefs, kcp, worker } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(versionSkew, [
  { name: 'same version', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.31.0'), expected: [] },
  { name: 'three minors older is allowed', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.28.9'), expected: [] },
  { name: 'four minors older is not', yaml: clusterWithRefs + kcp('v1.31.2') + worker('v1.27.0'), expected: ['md /spec/template/spec/version'], message: /4 minor versions older/ },
  { name: 'newer than the control plane', yaml: clusterWithRefs + kcp('v1.30.0') + worker('v1.31.0'), expected: ['md /spec/template/spec/version'], message: /newer than its control plane/ },
  { name: 'templated versions are skipped', yaml: clusterWithRefs + kcp('"${KUBERNETES_VERSION}"') + worker('v1.20.0'), expected: [] },
]);
