import { budgetedLines, MARKDOWN_BUDGET, markdownCell, markdownCode } from '../markdown.js';
import type { Severity } from '../../validate/finding.js';
import { groupByOverlay, locationText, resourceText, summarize, summaryText, type Reporter } from './report.js';

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
/** Rows shown before the rest is only counted. */
const MAX_ROWS = 250;
/** Of the budget, this much is kept for the line counting what was left out. */
const RESERVE = 200;

/** A pull-request comment: the summary, then a table of findings per overlay, within GitHub's limit (or the budget given). */
export const markdownReporter: Reporter = {
  render(report, { cwd, budget = MARKDOWN_BUDGET }) {
    const s = summarize(report);
    const { lines: out, add } = budgetedLines(budget - RESERVE);
    add('## capifleet validate', '', `${s.errors ? '❌' : '✅'} ${summaryText(s)}`, '');
    let rows = 0;
    groups: for (const group of groupByOverlay(report)) {
      if (group.findings.length === 0) continue;
      if (rows >= MAX_ROWS || !add(`### ${markdownCell(group.name)}`, '', '| | Rule | Object | Finding | Location |', '|---|---|---|---|---|')) break;
      for (const f of group.findings) {
        if (rows >= MAX_ROWS || !add(`| ${ICON[f.severity]} | ${markdownCode(f.ruleId)} | ${markdownCell(resourceText(f.resource))} | ${markdownCell(f.message)} | ${markdownCode(locationText(f, cwd) ?? '')} |`)) {
          out.push('');
          break groups;
        }
        rows++;
      }
      add('');
    }
    const hidden = report.findings.length - rows;
    if (hidden > 0) out.push(`_…and ${hidden} more; run \`capifleet validate\` locally for the full list._`, '');
    return `${out.join('\n')}`;
  },
};
