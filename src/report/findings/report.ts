import { displayPath } from '../../display-path.js';
import type { CheckedUnit, FindingResource, Finding } from '../../validate/finding.js';
import { countBySeverity } from '../../validate/finding.js';
import type { RuleDescriptor } from '../../validate/rule-registry.js';

/** Everything a reporter prints: what was checked and what was found, in report order. */
export interface Report {
  tool: { name: string; version: string };
  units: CheckedUnit[];
  findings: Finding[];
  /** Every rule a finding may name, for formats that describe rules (SARIF). */
  rules: RuleDescriptor[];
}

export interface ReportOptions {
  /** ANSI colors (text only): the caller decides from the terminal and NO_COLOR. */
  color: boolean;
  /** Paths print relative to this directory. */
  cwd: string;
  /** Markdown only: the characters it may take (default GitHub's comment limit), when it is part of a larger comment. */
  budget?: number;
}

/** One output format. Like kubeconform's output package: one interface, one module per format. */
export interface Reporter {
  render(report: Report, options: ReportOptions): string;
}

export function locationText(f: Finding, cwd: string): string | undefined {
  return f.location ? `${displayPath(f.location.file, cwd)}:${f.location.line}` : undefined;
}

/** `Cluster ns/name` — how a person names an object. */
export function resourceText(r: FindingResource | undefined): string {
  if (!r) return '';
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** The finding's message with its object: `Cluster ns/name: unknown field "spec.x"`. */
export function findingText(f: Finding): string {
  return f.resource ? `${resourceText(f.resource)}: ${f.message}` : f.message;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  units: number;
  unitsWithErrors: number;
  resources: number;
}

export function summarize(report: Report): Summary {
  const c = countBySeverity(report.findings);
  return {
    errors: c.error,
    warnings: c.warning,
    infos: c.info,
    units: report.units.length,
    unitsWithErrors: new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.overlay)).size,
    resources: report.units.reduce((n, u) => n + u.resources.length, 0),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning in 1 of 3 overlays (40 resources)`. */
export function summaryText(s: Summary): string {
  const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos ? [plural(s.infos, 'note')] : [])].join(', ');
  const where = s.errors ? `${s.unitsWithErrors} of ${plural(s.units, 'overlay')}` : plural(s.units, 'overlay');
  return `${counts} in ${where} (${plural(s.resources, 'resource')})`;
}

/** Findings by overlay, overlays in report order. */
export function groupByOverlay(report: Report): { name: string; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>(report.units.map((u) => [u.name, []]));
  for (const f of report.findings) {
    const key = f.overlay ?? '';
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return [...groups].map(([name, findings]) => ({ name, findings }));
}
