import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelSelector, selectResources } from '../../src/engine/selector.js';
import type { Selector } from '../../src/engine/types.js';
import { BuildError } from '../../src/errors.js';
import { resMapOf } from './filters/fixtures.js';

const RESOURCES = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-a, labels: {app: web, tier: fe}, annotations: {team: x}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-b, namespace: prod, labels: {app: web, version: 2}}
---
apiVersion: v1
kind: Service
metadata: {name: web-a, labels: {app: svc}}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}`;

const names = (sel: Selector): string[] => selectResources(resMapOf(RESOURCES), sel).map((r) => `${r.kind}/${r.name}`);

describe('selectResources', () => {
  const cases: { name: string; selector: Selector; expected: string[] }[] = [
    { name: 'empty selector selects all', selector: {}, expected: ['Deployment/web-a', 'Deployment/web-b', 'Service/web-a', 'Namespace/prod'] },
    { name: 'names are anchored regexes', selector: { name: 'web' }, expected: [] },
    { name: 'name regex', selector: { name: 'web-.*', kind: 'Deploy.*' }, expected: ['Deployment/web-a', 'Deployment/web-b'] },
    { name: 'group "" matches anything', selector: { group: '', kind: 'Service' }, expected: ['Service/web-a'] },
    { name: 'version only', selector: { version: 'v1' }, expected: ['Deployment/web-a', 'Deployment/web-b', 'Service/web-a', 'Namespace/prod'] },
    { name: 'namespace default matches resources without one', selector: { namespace: 'default' }, expected: ['Deployment/web-a', 'Service/web-a'] },
    { name: 'set-based label selector', selector: { labelSelector: 'app in (web, svc),!tier' }, expected: ['Deployment/web-b', 'Service/web-a'] },
    { name: 'notin keeps resources without the key', selector: { labelSelector: 'app notin (web)' }, expected: ['Service/web-a', 'Namespace/prod'] },
    { name: 'non-string label values compare as text; gt', selector: { labelSelector: 'version=2,version>1' }, expected: ['Deployment/web-b'] },
    { name: 'annotation selector', selector: { annotationSelector: 'team' }, expected: ['Deployment/web-a'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(names(c.selector), c.expected));

  it('matches the original name after a rename', () => {
    const m = resMapOf(RESOURCES);
    const svc = m.resources()[2]!;
    svc.storePreviousId();
    svc.setName('renamed');
    assert.deepEqual(selectResources(m, { name: 'web-a', kind: 'Service' }).map((r) => r.name), ['renamed']);
  });

  it('a bad regex is reported as Go does', () =>
    assert.throws(() => names({ name: 'web-(' }), (e: unknown) => e instanceof BuildError && e.message === 'error parsing regexp: missing closing ): `^(?:web-()$`'));
  it('a bad label selector is only reported once a resource reaches it', () => {
    assert.deepEqual(names({ kind: 'Nothing', labelSelector: 'a in b' }), []);
    assert.throws(() => names({ labelSelector: 'a in b' }), BuildError);
  });
});

describe('parseLabelSelector', () => {
  const labels = new Map([['app', 'web'], ['tier', 'fe']]);
  const matches: { selector: string; expected: boolean }[] = [
    { selector: '', expected: true },
    { selector: 'app=web', expected: true },
    { selector: 'app==web,tier!=be', expected: true },
    { selector: 'app,!missing', expected: true },
    { selector: 'app in (a,b)', expected: false },
    { selector: 'app=', expected: false },
  ];
  for (const c of matches) it(`matches: ${JSON.stringify(c.selector)}`, () => assert.equal(parseLabelSelector(c.selector).matches(labels), c.expected));

  const errors: { selector: string; message: string }[] = [
    { selector: 'app in web', message: "unable to parse requirement: found 'web' expected: '('" },
    { selector: 'app=(bad', message: "unable to parse requirement: found '(', expected: identifier" },
    { selector: 'app,', message: "found '', expected: identifier after ','" },
    { selector: 'app=web x', message: "found 'x', expected: ',' or 'end of string'" },
    { selector: 'Bad Key=x', message: "unable to parse requirement: found 'Key', expected: '=', '!=', '==', 'in', notin'" },
    {
      selector: 'app=-bad-',
      message:
        "unable to parse requirement: invalid label value: \"-bad-\": at key: \"app\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    },
    {
      selector: 'a/b/c',
      message:
        "unable to parse requirement: invalid label key \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    },
  ];
  for (const c of errors) {
    it(`error: ${JSON.stringify(c.selector)}`, () => assert.throws(() => parseLabelSelector(c.selector), (e: unknown) => e instanceof BuildError && e.message === c.message));
  }
});
