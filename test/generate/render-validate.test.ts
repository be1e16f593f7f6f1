/**
 * Generated trees work end to end: for fleets of 1, 10 and 100 clusters, every kustomization a
 * person would build (each cluster overlay, the management entry point, and the shared workload
 * base) renders with capifleet exactly as with `kubectl kustomize`; the repository, applied as
 * Flux applies it from the management entry point (the cluster graph), validates with zero errors
 * under strict references in the management cluster and in every workload cluster; each HelmRelease
 * gets the chart version and values the spec resolves to. The one-cluster fleet leaves two of its
 * three environments without clusters.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FileCache } from '../../src/engine/loader.js';
import { renderYaml } from '../../src/engine/output.js';
import type { Resource } from '../../src/engine/resource.js';
import { render } from '../../src/engine/target.js';
import type { Provider } from '../../src/fleet/types.js';
import { generateTree } from '../../src/generate/tree.js';
import { loadCatalog } from '../../src/schemas/catalog.js';
import { Validator } from '../../src/validate/validator.js';
import { discoverInputs } from '../../src/validate/inputs.js';
import { parseDocuments } from '../../src/yaml/parse.js';
import { discoverRepositoryInputs } from '../../src/validate/clusters.js';
import { kubectlAvailable } from '../support/cases.js';
import { fleetFixture, resolveFleet, writeTree } from './fleet-fixture.js';

const live = kubectlAvailable();
/** The providers the fleets use in turn. */
const PROVIDERS: Provider[] = ['aks', 'azure', 'docker', 'aks-azuremanaged'];
const validator = new Validator(loadCatalog({ projectDir: fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-empty-')) }), {
  vars: new Map(),
  strictVars: false,
  strictRefs: true,
  missingSchemas: 'error',
  rules: new Map(),
});

/** kubectl is a process per build, so a few run side by side. */
async function kubectlBuilds(dirs: readonly string[], parallel = os.availableParallelism()): Promise<Map<string, string>> {
  const run = promisify(execFile);
  const out = new Map<string, string>();
  const queue = [...dirs];
  const worker = async (): Promise<void> => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      out.set(dir, (await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 })).stdout);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

for (const size of [1, 10, 100]) {
  describe(`generated tree of ${size} cluster${size === 1 ? '' : 's'}`, () => {
    const fleet = fleetFixture({ clusters: size, providers: PROVIDERS });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `capifleet-tree-${size}-`));
    const builds = new Map<string, { resources: Resource[]; yaml: string }>();
    const { files } = generateTree(fleet);
    /** The management entry point's own files: Flux applies the folder without a kustomization file. */
    const plain: string[] = [];
    before(() => {
      writeTree(root, files);
      const fileCache = new FileCache();
      for (const input of discoverInputs([root])) {
        if (input.kind === 'files') plain.push(...input.files.map((f) => path.relative(root, f)));
        if (input.kind !== 'kustomization') continue;
        const resources = render(input.dir, { fileCache });
        builds.set(path.relative(root, input.dir), { resources, yaml: renderYaml(resources) });
      }
    });

    it("has a cluster overlay per cluster to build, the management entry point's environments and the shared workload base, nothing else", () => {
      const environments = [...new Set(fleet.clusters.map((c) => c.environment))].map((env) => `overlays/_management/${env}`);
      const expected = ['base/workload', ...environments, ...fleet.clusters.map((c) => `overlays/${c.environment}/${c.name}`)];
      assert.deepEqual([...builds.keys()].sort(), expected.sort());
      assert.deepEqual(plain.sort(), ['overlays/_management/gitrepository.yaml', 'overlays/_management/namespace.yaml']);
    });

    it('holds one GitRepository in the whole tree, and one Flux Kustomization per cluster in the management entry point', () => {
      const objects = files.flatMap((f) => parseDocuments(f.content, f.path).map((d) => ({ file: f.path, kind: (d.value as { kind?: string } | null)?.kind })));
      assert.deepEqual(objects.filter((o) => o.kind === 'GitRepository').map((o) => o.file), ['overlays/_management/gitrepository.yaml']);
      const management = [...builds].filter(([name]) => name.startsWith('overlays/_management/')).flatMap(([, b]) => b.resources.filter((r) => r.kind === 'Kustomization'));
      assert.deepEqual(management.map((r) => r.name).sort(), fleet.clusters.map((c) => c.name).sort());
    });

    it('validates with zero errors under strict references in every cluster, as Flux applies it from the management entry point', () => {
      // the spec beside the tree says which GitRepository is this repository
      fs.writeFileSync(path.join(root, 'fleet.yaml'), JSON.stringify(fleet.spec));
      const inputs = discoverRepositoryInputs([root]);
      const units = inputs.map((i) => (i.kind === 'cluster' ? i.loaded.unit.name : `not reached: ${JSON.stringify(i)}`));
      assert.deepEqual(units.slice(0, -1), ['cluster management', ...fleet.clusters.map((c) => `cluster ${c.name}`).sort()]);
      assert.match(units.at(-1)!, /^not reached: \{"kind":"files","files":\[".*fleet\.yaml"\]/, 'only the spec lies outside what Flux applies');
      const errors = inputs.flatMap((i) => {
        if (i.kind !== 'cluster') return [];
        const { unit, problems } = i.loaded;
        return [...problems, ...validator.validate(unit)]
          // a source not followed would leave every workload cluster unchecked
          .filter((f) => f.severity === 'error' || f.ruleId === 'flux/source-not-followed').map((f) => `${unit.name}: ${f.ruleId} ${f.resource?.kind}/${f.resource?.name}: ${f.message}`);
      });
      assert.deepEqual(errors, []);
      // each workload cluster got its own values, substituted by Flux
      for (const input of inputs) {
        if (input.kind !== 'cluster' || input.loaded.unit.name === 'cluster management') continue;
        const [info] = input.loaded.unit.resources;
        const cluster = fleet.clusters.find((c) => `cluster ${c.name}` === input.loaded.unit.name)!;
        assert.deepEqual(info?.obj.data, { fleet: fleet.name, environment: cluster.environment, cluster: cluster.name });
      }
    });

    it('gives every HelmRelease the resolved chart version and values, in the workload cluster', () => {
      for (const cluster of fleet.clusters) {
        const releases = builds.get(`overlays/${cluster.environment}/${cluster.name}`)!.resources.filter((r) => r.kind === 'HelmRelease');
        const actual = releases.map((r) => {
          const spec = r.obj.spec as { chart: { spec: { version: string } }; values?: unknown; kubeConfig: unknown; releaseName: string };
          return { name: r.name, release: spec.releaseName, version: spec.chart.spec.version, values: spec.values ?? {}, kubeConfig: spec.kubeConfig };
        });
        const expected = cluster.addons.map((a) => ({
          name: `${cluster.name}-${a.name}`,
          release: a.name,
          version: a.chart.version,
          values: a.values,
          kubeConfig: { secretRef: { name: `${cluster.name}-kubeconfig`, key: 'value' } },
        }));
        assert.deepEqual(actual.sort((a, b) => a.name.localeCompare(b.name)), expected.sort((a, b) => a.name.localeCompare(b.name)), cluster.name);
      }
    });

    it('renders byte for byte as kubectl kustomize does', { skip: live ? false : 'kubectl not installed: comparison skipped' }, async () => {
      const names = [...builds.keys()];
      const reference = await kubectlBuilds(names.map((name) => path.join(root, name)));
      for (const name of names) assert.equal(builds.get(name)!.yaml, reference.get(path.join(root, name)), name);
    });
  });
}

describe('a generated tree below repository.path', () => {
  it('validates clean from the repository root: its entry point found there, its Flux paths from the root', () => {
    const spec = structuredClone(fleetFixture({ clusters: 3, providers: PROVIDERS }).spec);
    spec.spec.repository.path = 'deploy/fleet';
    const fleet = resolveFleet(spec);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-tree-path-'));
    writeTree(path.join(root, 'deploy/fleet'), generateTree(fleet).files);
    fs.writeFileSync(path.join(root, 'deploy/fleet/fleet.yaml'), JSON.stringify(spec));
    const inputs = discoverRepositoryInputs([root]);
    assert.deepEqual(
      inputs.map((i) => (i.kind === 'cluster' ? i.loaded.unit.name : i.kind)),
      ['cluster management', ...fleet.clusters.map((c) => `cluster ${c.name}`).sort(), 'files'],
    );
    const findings = inputs.flatMap((i) => (i.kind === 'cluster' ? [...i.loaded.problems, ...validator.validate(i.loaded.unit)] : []));
    assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.ruleId === 'flux/source-not-followed').map((f) => `${f.overlay}: ${f.ruleId} ${f.message}`), []);
  });
});
