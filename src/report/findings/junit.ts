import { resourceKeyOf, sameResourceKey } from '../../kubernetes/resource-key.js';
import type { Finding, FindingResource } from '../../validate/finding.js';
import { findingText, groupByOverlay, locationText, resourceText, type Reporter } from './report.js';

function xml(s: string): string {
  // XML 1.0 forbids most control characters even when escaped
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function sameResource(a: FindingResource | undefined, b: FindingResource): boolean {
  return !!a && sameResourceKey(resourceKeyOf(a), resourceKeyOf(b));
}

/**
 * For CI test tabs: one test suite per overlay, one test case per object; errors are failures,
 * warnings and notes go to the case's output. Findings about no object (a file that does not
 * parse, an overlay that does not build) get a test case of their own.
 */
export const junitReporter: Reporter = {
  render(report, { cwd }) {
    const suites: string[] = [];
    let tests = 0;
    let failures = 0;
    const units = new Map(report.units.map((u) => [u.name, u.resources]));
    for (const group of groupByOverlay(report)) {
      const cases: { name: string; findings: Finding[] }[] = (units.get(group.name) ?? []).map((r) => ({
        name: `${r.apiVersion} ${resourceText(r)}`,
        findings: group.findings.filter((f) => sameResource(f.resource, r)),
      }));
      for (const f of group.findings.filter((f) => !f.resource)) cases.push({ name: locationText(f, cwd) ?? group.name, findings: [f] });
      const suiteFailures = cases.filter((c) => c.findings.some((f) => f.severity === 'error')).length;
      tests += cases.length;
      failures += suiteFailures;
      const body = cases.map((c) => testCase(group.name, c.name, c.findings, cwd)).join('');
      suites.push(`  <testsuite name="${xml(group.name)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${body}  </testsuite>\n`);
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="capifleet validate" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('')}</testsuites>\n`;
  },
};

function testCase(suite: string, name: string, findings: Finding[], cwd: string): string {
  const open = `    <testcase classname="${xml(suite)}" name="${xml(name)}"`;
  if (findings.length === 0) return `${open}/>\n`;
  const line = (f: Finding): string => `${f.severity}: ${findingText(f)} [${f.ruleId}]${locationText(f, cwd) ? ` at ${locationText(f, cwd)}` : ''}`;
  const errors = findings.filter((f) => f.severity === 'error');
  const others = findings.filter((f) => f.severity !== 'error');
  const failure = errors.length
    ? `      <failure message="${xml(errors[0]!.message)}" type="${xml(errors[0]!.ruleId)}">${xml(errors.map(line).join('\n'))}</failure>\n`
    : '';
  const out = others.length ? `      <system-out>${xml(others.map(line).join('\n'))}</system-out>\n` : '';
  return `${open}>\n${failure}${out}    </testcase>\n`;
}
