import { markdownCell, markdownCode } from '../markdown.js';
import type { Severity } from '../../validate/finding.js';
import { groupByOverlay, locationText, resourceText, summarize, summaryText, type Reporter } from './report.js';

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
/** GitHub rejects comments over 65,536 characters; stop well before. */
const MAX_ROWS = 250;

/** A pull-request comment: the summary, then a table of findings per overlay. */
export const markdownReporter: Reporter = {
  render(report, { cwd }) {
    const s = summarize(report);
    const out = ['## capifleet validate', '', `${s.errors ? '❌' : '✅'} ${summaryText(s)}`, ''];
    let rows = 0;
    for (const group of groupByOverlay(report)) {
      if (group.findings.length === 0) continue;
      if (rows >= MAX_ROWS) break;
      out.push(`### ${markdownCell(group.name)}`, '', '| | Rule | Object | Finding | Location |', '|---|---|---|---|---|');
      for (const f of group.findings) {
        if (rows >= MAX_ROWS) break;
        rows++;
        out.push(`| ${ICON[f.severity]} | ${markdownCode(f.ruleId)} | ${markdownCell(resourceText(f.resource))} | ${markdownCell(f.message)} | ${markdownCode(locationText(f, cwd) ?? '')} |`);
      }
      out.push('');
    }
    const hidden = report.findings.length - rows;
    if (hidden > 0) out.push(`_…and ${hidden} more; run \`capifleet validate\` locally for the full list._`, '');
    return `${out.join('\n')}`;
  },
};
