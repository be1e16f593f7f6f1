import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/json/value.js';
import { bundledCatalog } from '../../src/schemas/catalog.js';
import { SchemaCompiler } from '../../src/schemas/compiled-schemas.js';
import { CelRules } from '../../src/validate/cel/evaluator.js';
import { SchemaChecker } from '../../src/validate/schema-check.js';
import { fakeCatalog, objectSchema, strict } from './fake-catalog.js';
import { tempTree } from '../support/files.js';
import { validateRepository } from './repository-support.js';

const enc = (data: string, type = 'str'): string => `ENC[AES256_GCM,data:${data},iv:aXZpdml2aXZpdg==,tag:dGFndGFndGFn,type:${type}]`;
const SOPS_BLOCK = {
  age: [{ recipient: 'age1qqqq', enc: '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n' }],
  lastmodified: '2026-11-01T10:00:00Z',
  mac: enc('bWFj'),
  encrypted_regex: '^(data|stringData)$',
  version: '3.9.1',
};

const checker = new SchemaChecker(bundledCatalog(), new SchemaCompiler(), { missingSchemas: 'warn', strictVars: false });
const check = (obj: JsonObject): string[] => checker.check(obj).map((f) => `${f.ruleId} ${f.message}`);

const secret = (data: Record<string, string>, sops?: JsonObject): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'app-secret', namespace: 'default' },
  type: 'Opaque',
  data,
  stringData: { TOKEN: enc('c2VjcmV0') },
  ...(sops ? { sops } : {}),
});

describe('SOPS-encrypted objects are checked as Flux applies them, decrypted', () => {
  it('a SOPS-encrypted Secret: no unknown sops field, encrypted values stand for valid ones', () => {
    assert.deepEqual(check(secret({ key: enc('Zm9vYmFy') }, SOPS_BLOCK)), []);
  });

  it('an encrypted value of another type (an int SOPS encrypted) is not a type error', () => {
    const deployment: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: enc('Mw==', 'int'), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
      sops: { ...SOPS_BLOCK, encrypted_regex: '^replicas$' },
    };
    assert.deepEqual(check(deployment), []);
    const { sops: _, ...plain } = deployment;
    assert.deepEqual(check(plain), ['schema/type spec.replicas: expected integer or null, got string "ENC[AES256_GCM,data:Mw==,iv:aXZpdml2aXZpdg==,tag:dGFndGFndGFn,type:int]"']);
  });

  it('a CEL rule over an encrypted value is not reported; one over plain values is', () => {
    const spec = strict({ token: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 8', message: 'token too long' }] }, name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 3', message: 'name too long' }] } });
    const cel = new CelRules({ strictVars: false });
    const celChecker = new SchemaChecker(fakeCatalog([{ apiVersion: 'example.com/v1', kind: 'Token', schema: objectSchema(spec) }]), new SchemaCompiler(), { missingSchemas: 'warn', strictVars: false, cel });
    const token = (sops: boolean): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Token', metadata: { name: 't' }, spec: { token: enc('dG9rZW4='), name: 'long' }, ...(sops ? { sops: SOPS_BLOCK } : {}) });
    assert.deepEqual(celChecker.check(token(true)).map((f) => f.message), ['spec.name: name too long']);
    assert.deepEqual(celChecker.check(token(false)).map((f) => f.message).sort(), ['spec.name: name too long', 'spec.token: token too long']);
  });

  it('a plain invalid value is still an error, in a SOPS-encrypted Secret and in any other', () => {
    const [encrypted] = check(secret({ key: 'not base64!' }, SOPS_BLOCK));
    assert.match(encrypted!, /^schema\/pattern data\.key: string "not base64!" does not match /);
    // without a sops block an ENC[…] string is just a string that is not base64
    const [plain] = check(secret({ key: enc('Zm9vYmFy') }));
    assert.match(plain!, /^schema\/pattern data\.key: string "ENC\[AES256_GCM,/);
    // and a sops field on an object that is not SOPS-encrypted is an unknown field
    assert.deepEqual(check({ ...secret({ key: 'Zm9v' }), sops: 'yes' }).filter((f) => f.includes('sops')), ['schema/unknown-field unknown field "sops"']);
  });
});

describe('validate of a repository that keeps its secrets with SOPS (home-ops shape)', () => {
  const fluxKs = (name: string, spec: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;
  const secretYaml = (value: string): string =>
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: echo-secret',
      'stringData:',
      `  TOKEN: ${enc('dG9rZW4=')}`,
      'data:',
      `  key: ${value}`,
      'sops:',
      '  age:',
      '    - recipient: age1qqqq',
      '      enc: |',
      '        -----BEGIN AGE ENCRYPTED FILE-----',
      '        YWdl',
      '        -----END AGE ENCRYPTED FILE-----',
      '  lastmodified: "2026-11-01T10:00:00Z"',
      `  mac: ${enc('bWFj')}`,
      '  encrypted_regex: ^(data|stringData)$',
      '  version: 3.9.1',
      '',
    ].join('\n');
  const tree = (value: string): string =>
    tempTree('sops-repo', {
      '.sops.yaml': 'creation_rules:\n  - path_regex: kubernetes/.*\\.sops\\.ya?ml\n    encrypted_regex: ^(data|stringData)$\n    key_groups:\n      - age:\n          - age1qqqq\n',
      'kubernetes/flux/cluster/flux-system/gotk-sync.yaml': '',
      'kubernetes/flux/cluster/ks.yaml': fluxKs('cluster-apps', '  path: ./kubernetes/apps\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n'),
      'kubernetes/apps/default/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: default\nresources:\n  - ./echo/app\n',
      'kubernetes/apps/default/echo/app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./secret.sops.yaml\n',
      'kubernetes/apps/default/echo/app/secret.sops.yaml': secretYaml(value),
      'kubernetes/apps/default/echo/app/.sops.yaml': 'creation_rules:\n  - age: age1qqqq\n',
    });

  it('reports nothing about the encrypted Secret, .sops.yaml or the *.sops.yaml name', async () => {
    const findings = await validateRepository(tree(enc('Zm9vYmFy')));
    assert.deepEqual(findings.filter((f) => !f.startsWith('flux/values-from')), []);
  });

  it('still reports a plain value that is wrong in it, at its line', async () => {
    const findings = await validateRepository(tree('"not base64!"'));
    const schema = findings.filter((f) => f.startsWith('schema/'));
    assert.equal(schema.length, 1, schema.join('\n'));
    assert.match(schema[0]!, /^schema\/pattern kubernetes\/apps\/default\/echo\/app\/secret\.sops\.yaml:8 data\.key: string "not base64!" does not match /);
  });
});
