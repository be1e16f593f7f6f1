/**
 * Entry points, sources and exclusions from the command line and `.capifleet.yaml`: how they are
 * read (one line with file and line when wrong), and what they change in what validate checks.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { discoverRepositoryInputs } from '../../src/validate/clusters.js';
import { loadValidateConfig } from '../../src/validate/config.js';
import { excludedPaths, mergeRepositoryOptions, NO_REPOSITORY_OPTIONS, parseSource, type RepositoryOptions } from '../../src/validate/repository-options.js';
import { configurableRuleIds } from '../../src/validate/rule-registry.js';
import { tempTree } from '../support/files.js';
import { inputSummary as summary } from '../support/inputs.js';

const fluxKs = (name: string, namespace: string, spec: string): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  interval: 10m\n  prune: true\n${spec}`;
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\n`;
const gitRepo = (name: string, url: string): string => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n  namespace: fleet\nspec:\n  interval: 5m\n  url: ${url}\n`;

/**
 * A fleet repository in the shape generate writes, with a source whose URL no spec names, two
 * bootstrapped clusters, and a test folder of trees broken on purpose that declares an entry point
 * of its own.
 */
function repository(): string {
  return tempTree('repository-options', {
    'overlays/_management/kustomization.yaml': 'resources: [source.yaml, apps.yaml]\n',
    'overlays/_management/source.yaml': gitRepo('fleet', 'https://example.com/elsewhere.git'),
    'overlays/_management/apps.yaml': fluxKs('apps', 'fleet', '  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n'),
    'apps/cm.yaml': cm('app'),
    'clusters/a/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
    'clusters/a/cm.yaml': cm('in-a'),
    'clusters/b/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
    'clusters/b/cm.yaml': cm('in-b'),
    'test/cases/broken/flux-system/gotk-sync.yaml': '# a bootstrap folder among the test trees\n',
    'test/cases/broken/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: 1\n',
  });
}


const options = (root: string, o: Partial<RepositoryOptions>): RepositoryOptions => ({
  ...NO_REPOSITORY_OPTIONS,
  ...o,
  ...(o.entries ? { entries: o.entries.map((e) => path.join(root, e)) } : {}),
});

describe('validate: entry points, sources and exclusions', () => {
  it('without options: every entry point the repository declares, the test trees included, and a source that is not followed', () => {
    const root = repository();
    assert.deepEqual(summary(discoverRepositoryInputs([root]), root), [
      'cluster a: in-a',
      'cluster b: in-b',
      'cluster test/cases/broken: broken',
      'cluster management: apps,fleet (flux/source-not-followed)',
      'files apps/cm.yaml',
    ]);
  });

  it('--exclude leaves a folder out of the search for entry points and of the tree', () => {
    const root = repository();
    const inputs = discoverRepositoryInputs([root], { repository: options(root, { exclude: [{ glob: 'test/', base: root }] }) });
    assert.deepEqual(summary(inputs, root), ['cluster a: in-a', 'cluster b: in-b', 'cluster management: apps,fleet (flux/source-not-followed)', 'files apps/cm.yaml']);
  });

  it('--source NAME=PATH makes the source this working tree: what it applies is followed', () => {
    const root = repository();
    for (const name of ['fleet', 'fleet/fleet']) {
      const inputs = discoverRepositoryInputs([root], { repository: options(root, { sources: { [name]: root }, exclude: [{ glob: '**/broken', base: root }] }) });
      assert.deepEqual(summary(inputs, root), ['cluster a: in-a', 'cluster b: in-b', 'cluster management: app,apps,fleet'], name);
    }
  });

  it('the URL of the fleet.yaml beside the management entry point\'s tree is this repository', () => {
    const spec = 'apiVersion: capifleet.io/v1alpha1\nkind: Fleet\nmetadata:\n  name: x\nspec:\n  repository:\n    url: https://example.com/elsewhere.git\n';
    // at the root
    const atRoot = tempTree('repository-options-root', {
      'fleet.yaml': spec,
      'overlays/_management/kustomization.yaml': 'resources: [source.yaml, apps.yaml]\n',
      'overlays/_management/source.yaml': gitRepo('fleet', 'https://example.com/elsewhere'),
      'overlays/_management/apps.yaml': fluxKs('apps', 'fleet', '  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n'),
      'apps/cm.yaml': cm('app'),
    });
    assert.deepEqual(summary(discoverRepositoryInputs([atRoot]), atRoot).slice(0, 1), ['cluster management: app,apps,fleet']);
    // below repository.path: found there, its paths from the repository root
    const below = tempTree('repository-options-below', {
      'deploy/fleet/fleet.yaml': spec,
      'deploy/fleet/overlays/_management/kustomization.yaml': 'resources: [source.yaml, apps.yaml]\n',
      'deploy/fleet/overlays/_management/source.yaml': gitRepo('fleet', 'ssh://git@example.com/elsewhere.git'),
      'deploy/fleet/overlays/_management/apps.yaml': fluxKs('apps', 'fleet', '  path: ./deploy/fleet/apps\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n'),
      'deploy/fleet/apps/cm.yaml': cm('app'),
    });
    assert.deepEqual(summary(discoverRepositoryInputs([below]), below).slice(0, 1), ['cluster management: app,apps,fleet']);
    // once `flux bootstrap --path=overlays/_management` wrote its flux-system/ there
    fs.mkdirSync(path.join(atRoot, 'overlays/_management/flux-system'));
    fs.writeFileSync(path.join(atRoot, 'overlays/_management/flux-system/gotk-sync.yaml'), '# written by flux bootstrap\n');
    assert.deepEqual(summary(discoverRepositoryInputs([atRoot]), atRoot).slice(0, 1), ['cluster management: app,apps,fleet']);
  });

  it('--entry PATH starts there instead, even in a folder that is a kustomization', () => {
    const root = repository();
    const inputs = discoverRepositoryInputs([root], { repository: options(root, { entries: ['clusters/b'] }) });
    assert.deepEqual(summary(inputs, root).slice(0, 1), ['cluster b: in-b']);
    assert.ok(!summary(inputs, root).some((s) => s.startsWith('cluster a')), 'clusters/a is no entry point now');
    const management = path.join(root, 'overlays/_management');
    const given = discoverRepositoryInputs([management], { repository: { ...NO_REPOSITORY_OPTIONS, entries: [management], sources: { fleet: path.join(root) } } });
    assert.deepEqual(summary(given, management), ['cluster .: app,apps,fleet']);
  });

  it('an entry point outside the repository is an error', () => {
    const root = repository();
    assert.throws(() => discoverRepositoryInputs([path.join(root, 'clusters')], { repository: options(root, { entries: ['apps'] }) }), (e: BuildError) => /^entry point .*apps is outside the repository/.test(e.message));
  });
});

describe('excludedPaths', () => {
  const root = tempTree('excluded', { 'test/a.yaml': '', 'src/fixtures/b.yaml': '', 'keep/fixtures.yaml': '', 'keep/c.yaml': '' });
  const excluded = excludedPaths([
    { glob: 'test/', base: root },
    { glob: '**/fixtures', base: root },
  ])!;
  const at = (p: string): boolean => excluded(path.join(root, p), root);

  it('leaves out what the globs match and all below it, nothing else', () => {
    assert.deepEqual(
      ['test', 'test/a.yaml', 'src/fixtures', 'src/fixtures/b.yaml', 'src', 'keep/fixtures.yaml', 'keep/c.yaml'].map((p) => [p, at(p)]),
      [['test', true], ['test/a.yaml', true], ['src/fixtures', true], ['src/fixtures/b.yaml', true], ['src', false], ['keep/fixtures.yaml', false], ['keep/c.yaml', false]],
    );
  });

  it('never leaves out the folder searched, nor what lies below it when only a folder above it matches', () => {
    assert.equal(excluded(path.join(root, 'test'), path.join(root, 'test')), false);
    assert.equal(excluded(path.join(root, 'test/a.yaml'), path.join(root, 'test')), false);
  });

  it('is none without globs', () => assert.equal(excludedPaths([]), undefined));
});

describe('--source and the configuration', () => {
  const root = tempTree('repository-config', { 'fleet/kustomization.yaml': '', 'apps/x.yaml': '' });
  const knownIds = configurableRuleIds();
  const config = (text: string, name = `${Math.random()}.yaml`): RepositoryOptions => {
    const file = path.join(root, name);
    fs.writeFileSync(file, text);
    return loadValidateConfig({ file, dir: root, knownIds }).repository;
  };
  const fails = (text: string, message: RegExp): void => {
    assert.throws(() => config(text, 'bad.yaml'), (e: BuildError) => message.test(e.format(root)));
  };

  it('parses NAME=PATH and NAMESPACE/NAME=PATH', () => {
    assert.deepEqual(parseSource('fleet=fleet', root, { what: '--source' }), ['fleet', path.join(root, 'fleet')]);
    assert.deepEqual(parseSource('flux-system/fleet=.', root, { what: '--source' }), ['flux-system/fleet', root]);
  });

  for (const [arg, message] of [
    ['fleet', /^--source fleet: expected NAME=PATH$/],
    ['Fleet=.', /^--source "Fleet": a source is NAME or NAMESPACE\/NAME/],
    ['a/b/c=.', /^--source "a\/b\/c": a source is NAME/],
    ['fleet=nope', /^--source nope: no such folder$/],
    ['fleet=apps/x.yaml', /^--source apps\/x\.yaml: no such folder$/],
  ] as const) {
    it(`refuses --source ${arg} in one line`, () => assert.throws(() => parseSource(arg, root, { what: '--source' }), (e: BuildError) => message.test(e.message)));
  }

  it('reads entries, sources and exclude relative to the file', () => {
    assert.deepEqual(config('entries: [fleet]\nsources:\n  fleet: .\n  flux-system/apps: apps\nexclude: ["test/", "**/fixtures"]\n'), {
      entries: [path.join(root, 'fleet')],
      sources: { fleet: root, 'flux-system/apps': path.join(root, 'apps') },
      exclude: [
        { glob: 'test/', base: root },
        { glob: '**/fixtures', base: root },
      ],
    });
    assert.deepEqual(config('rules: {}\n'), NO_REPOSITORY_OPTIONS);
  });

  it('refuses bad values with the file and line', () => {
    fails('exclude: test/\n', /^bad\.yaml:1: exclude must be a list of globs$/);
    fails('exclude:\n  - ok\n  - 3\n', /^bad\.yaml:3: exclude\[1\]: expected glob, got integer 3$/);
    fails('entries:\n  - nope\n', /^bad\.yaml:2: entry point nope: no such folder$/);
    fails('sources: [fleet]\n', /^bad\.yaml:1: sources must be a mapping of source NAME or NAMESPACE\/NAME to a folder$/);
    fails('sources:\n  fleet: nope\n', /^bad\.yaml:2: source nope: no such folder$/);
    fails('sources:\n  Fleet_1: .\n', /^bad\.yaml:2: source "Fleet_1": a source is NAME or NAMESPACE\/NAME/);
    fails('sources:\n  fleet: ..\n', /^bad\.yaml:2: source \.\.: outside the folder of the configuration$/);
    fails('entries: [/]\n', /^bad\.yaml:1: entry point \/: outside the folder of the configuration$/);
    fails('exclude: [../**]\n', /^bad\.yaml:1: exclude \.\.\/\*\*: a glob must be relative to its folder, without \.\.$/);
    fails('sources:\n  fleet: {path: .}\n', /^bad\.yaml:2: source "fleet": expected a folder, got an object$/);
  });

  it('the command line replaces entries, wins for sources by name and adds exclusions', () => {
    const fromConfig: RepositoryOptions = { entries: ['/c'], sources: { a: '/a', b: '/b' }, exclude: [{ glob: 'x', base: '/' }] };
    assert.deepEqual(mergeRepositoryOptions(fromConfig, { entries: [], sources: { b: '/B' }, exclude: [{ glob: 'y', base: '/' }] }), {
      entries: ['/c'],
      sources: { a: '/a', b: '/B' },
      exclude: [
        { glob: 'x', base: '/' },
        { glob: 'y', base: '/' },
      ],
    });
    assert.deepEqual(mergeRepositoryOptions(fromConfig, { ...NO_REPOSITORY_OPTIONS, entries: ['/d'] }).entries, ['/d']);
  });
});
