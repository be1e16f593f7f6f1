import { dnsName } from '../../../../src/validate/rules/k8s/dns-name.js';
import { cm } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(dnsName, [
  { name: 'valid names', yaml: cm('web-1.example') + 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:x"}\n', expected: [] },
  { name: 'uppercase and underscore', yaml: cm('Bad_Name'), expected: ['Bad_Name /metadata/name'], message: /DNS-1123 subdomain/ },
  { name: 'too long', yaml: cm('a'.repeat(254)), expected: [`${'a'.repeat(254)} /metadata/name`], message: /at most 253/ },
  { name: 'namespace must be a label', yaml: cm('a', 'a.b'), expected: ['a /metadata/namespace'] },
  { name: 'a Namespace is a label, no dots', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n', expected: ['a.b /metadata/name'] },
  { name: 'a Service starts with a letter', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n', expected: ['1web /metadata/name'] },
  { name: 'templated names are skipped', yaml: cm('${CLUSTER_NAME}-Config'), expected: [] },
  { name: 'SOPS-encrypted metadata of a SOPS-encrypted object is skipped', yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: "ENC[AES256_GCM,data:pUO+64kyn0D0jy==,iv:D8uQEOIw=,tag:y5Rbk3vv==,type:str]"\n  namespace: "ENC[AES256_GCM,data:pUO+64kyn0D0jy==,iv:D8uQEOIw=,tag:y5Rbk3vv==,type:str]"\nsops:\n  mac: x\n', expected: [] },
  { name: 'an ENC[] name without a sops block is checked', yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: "ENC[AES256_GCM,data:pUO+64kyn0D0jy==,iv:D8uQEOIw=,tag:y5Rbk3vv==,type:str]"\n', expected: ['ENC[AES256_GCM,data:pUO+64kyn0D0jy==,iv:D8uQEOIw=,tag:y5Rbk3vv==,type:str] /metadata/name'] },
]);
