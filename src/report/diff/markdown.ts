import { budgetedLines, fenced, MARKDOWN_BUDGET, markdownCell, markdownCode, namedList } from '../markdown.js';
import type { DangerFinding, DangerSeverity } from '../../diff/types.js';
import { resourcePatch, summaryLine, valueText, type DiffWriter } from './writer.js';

const ICON: Record<DangerSeverity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/** Of the budget, this much is kept for the note on what was cut. */
const RESERVE = 8_000;
/** Rows a table shows before the rest is only counted. */
const MAX_ROWS = 100;
/** Names of cut items listed, the rest counted. */
const NAMED_CUTS = 20;

/** Text for a code span in a table cell: nothing in it can end the span, the cell or the table. */
function cellCode(s: string): string {
  return markdownCell(markdownCode(s));
}

/** Text inside HTML (a <summary>): markup characters escaped. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** Clusters a row of the dangers table names. */
const NAMED_CLUSTERS = 5;

/** Findings of one danger, so that a change to a thousand clusters is one row, not a thousand. */
function dangerGroups(dangers: readonly DangerFinding[]): { id: string; severity: DangerSeverity; count: number; clusters: string[]; message: string }[] {
  const groups = new Map<string, { id: string; severity: DangerSeverity; count: number; clusters: string[]; message: string }>();
  for (const d of dangers) {
    let g = groups.get(d.id);
    if (!g) groups.set(d.id, (g = { id: d.id, severity: d.severity, count: 0, clusters: [], message: d.cluster ? `${d.cluster}: ${d.message}` : d.message }));
    g.count++;
    if (d.cluster !== undefined && !g.clusters.includes(d.cluster)) g.clusters.push(d.cluster);
  }
  return [...groups.values()];
}

/**
 * One pull-request comment: the summary, dangers at the top (one row per danger, its clusters counted), the settings the sides define
 * differently, a table of clusters, then each changed cluster's diffs in a collapsed <details>.
 * It never exceeds GitHub's limit (or the budget it is given): tables stop after MAX_ROWS rows, diffs stop when the budget is
 * spent, and a last line counts and names what was cut.
 */
export const markdownDiffWriter: DiffWriter = {
  render(report, { budget = MARKDOWN_BUDGET }) {
    const s = report.summary;
    const { lines: out, add } = budgetedLines(budget - RESERVE);
    const cut: string[] = [];
    /** A table: as many rows as fit, up to MAX_ROWS; the rest counted (and named, when names are given). */
    const table = (title: string, header: string[], rows: string[], what: string, names?: string[]): void => {
      if (rows.length === 0) return;
      add(`### ${title}`, '', ...header);
      let shown = 0;
      while (shown < rows.length && shown < MAX_ROWS && add(rows[shown]!)) shown++;
      if (shown < rows.length) cut.push(`${rows.length - shown} more ${what}${names ? `: ${namedList(names.slice(shown), NAMED_CUTS)}` : ''}`);
      add('');
    };
    add(`## capifleet diff ${markdownCode(report.from)} → ${markdownCode(report.to)}`, '', `${s.dangers.error ? '❌' : s.dangers.warning ? '⚠️' : '✅'} ${summaryLine(s)}`, '');
    table(
      'Dangers',
      ['| | Danger | Where | What (first of them) |', '|---|---|---|---|'],
      dangerGroups(report.dangers).map((g) => `| ${ICON[g.severity]} | ${cellCode(g.id)} | ${g.count} × ${g.clusters.length ? `in ${markdownCell(namedList(g.clusters, NAMED_CLUSTERS))}` : 'fleet-wide'} | ${markdownCell(g.message)} |`),
      'kinds of danger',
    );
    table(
      'Settings',
      [`| Setting | ${cellCode(report.from)} | ${cellCode(report.to)} |`, '|---|---|---|'],
      report.settings.map((st) => `| ${cellCode(st.path)} | ${cellCode(valueText(st.from))} | ${cellCode(valueText(st.to))} |`),
      'settings',
    );
    const changed = report.clusters.filter((c) => c.status !== 'unchanged');
    const dangersOf = new Map<string, number>();
    for (const d of report.dangers) if (d.cluster !== undefined) dangersOf.set(d.cluster, (dangersOf.get(d.cluster) ?? 0) + 1);
    const count = (c: (typeof changed)[number], kind: string): number => c.resources.filter((r) => r.change === kind).length;
    table(
      'Clusters',
      ['| Cluster | Status | Added | Changed | Removed | Dangers |', '|---|---|---:|---:|---:|---:|'],
      changed.map((c) => `| ${cellCode(c.name)} | ${c.status} | ${count(c, 'added')} | ${count(c, 'changed')} | ${count(c, 'removed')} | ${dangersOf.get(c.name) ?? 0} |`),
      'rows of the cluster table',
      changed.map((c) => c.name),
    );
    const unshown: string[] = [];
    for (const c of changed) {
      const patches = c.resources.map((r) => resourcePatch(r, report)).join('\n\n');
      // what happened to its resources, by kind of change: "1 added", not "1 resource changed"
      const counts = (['added', 'changed', 'removed'] as const).map((kind) => [kind, count(c, kind)] as const).filter(([, n]) => n > 0);
      const summary = `<summary>${html(c.name)}: ${counts.map(([kind, n]) => `${n} ${kind}`).join(', ')}</summary>`;
      if (unshown.length || !add('<details>', summary, '', fenced('diff', patches), '', '</details>', '')) unshown.push(c.name);
    }
    if (unshown.length) cut.push(`the diffs of ${unshown.length} cluster${unshown.length === 1 ? '' : 's'}: ${namedList(unshown, NAMED_CUTS)}`);
    if (cut.length) out.push(`_Cut to stay within GitHub's comment limit: ${cut.join('; ')}. Run \`capifleet diff\` locally for everything._`, '');
    return out.join('\n');
  },
};
