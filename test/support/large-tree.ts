import * as fs from 'node:fs';
import * as path from 'node:path';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n        image: nginx\n';
const REPLICAS_PATCH = 'patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: two}\n';
const configMap = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;
const MACHINE_DEPLOYMENT = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata:\n  name: md\nspec:\n  clusterName: c\n  replicas: 1\n  selector: {}\n  template:\n    spec:\n      clusterName: c\n      bootstrap: {dataSecretName: x}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachineTemplate, name: t}\n';

/** The large tree: overlays, how many of them do not build, folders of plain manifest files, files in each. */
export const LARGE_TREE = { overlays: 80, overlaysFailing: 6, folders: 2, filesPerFolder: 100 };

/**
 * A tree large enough to be validated on two threads: overlays over one base, with schema findings,
 * deprecation warnings, and some that do not build; and folders of plain manifest files with schema
 * findings, duplicate keys, bad YAML, and objects whose cross-resource findings (missing references,
 * duplicate ids) are made where the whole folder is seen.
 */
export function writeLargeTree(root: string): void {
  const files: Record<string, string> = { 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'base/deployment.yaml': DEPLOYMENT };
  for (let i = 0; i < LARGE_TREE.overlays; i++) {
    const resources = i % 14 === 5 ? '[../../base, missing.yaml]' : '[../../base]';
    files[`overlays/o${i}/kustomization.yaml`] = `resources: ${resources}\nnamePrefix: o${i}-\n${i % 10 === 3 ? REPLICAS_PATCH : ''}${i % 13 === 0 ? 'commonLabels: {team: a}\n' : ''}`;
  }
  for (let d = 0; d < LARGE_TREE.folders; d++) {
    for (let j = 0; j < LARGE_TREE.filesPerFolder; j++) {
      const name = `f${j}`;
      files[`plain/${d}/${name}.yaml`] =
        j % 31 === 7 ? 'a: [\n' : j % 23 === 4 ? configMap(name, 'a: "1"\n  a: "2"') : j % 11 === 2 ? MACHINE_DEPLOYMENT : configMap(name, j % 9 === 0 ? 'a: 1' : 'a: "1"');
    }
  }
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
}
