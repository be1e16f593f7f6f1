import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a synthetic fleet for benchmarks: one shared base and `count` overlays over it, each
 * with the fields a real cluster overlay uses (prefix, namespace, labels, patches, images, replicas,
 * generated config).
 */
export function writeFleetFixture(root: string, count: number): string[] {
  const base = path.join(root, 'base');
  fs.mkdirSync(base, { recursive: true });
  fs.writeFileSync(
    path.join(base, 'kustomization.yaml'),
    'resources:\n- deployment.yaml\n- service.yaml\nconfigMapGenerator:\n- name: app-config\n  literals: [LOG_LEVEL=info, REGION=weu]\n',
  );
  fs.writeFileSync(
    path.join(base, 'deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {app: app}
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:1.0.0
        envFrom:
        - configMapRef: {name: app-config}
        ports:
        - containerPort: 8080
        resources:
          requests: {cpu: 100m, memory: 128Mi}
`,
  );
  fs.writeFileSync(
    path.join(base, 'service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector: {app: app}\n  ports:\n  - port: 80\n    targetPort: 8080\n',
  );
  const dirs: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `cluster-${String(i).padStart(4, '0')}`;
    const dir = path.join(root, 'overlays', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      `resources:
- ../../base
namespace: ${name}
namePrefix: ${name}-
labels:
- pairs: {cluster: ${name}}
  includeSelectors: true
images:
- name: registry.example.com/app
  newTag: 1.0.${i % 7}
replicas:
- name: app
  count: ${1 + (i % 5)}
patches:
- target: {kind: Deployment, name: app}
  patch: |
    - op: add
      path: /spec/template/spec/containers/0/env
      value: [{name: CLUSTER, value: ${name}}]
`,
    );
    dirs.push(dir);
  }
  return dirs;
}
