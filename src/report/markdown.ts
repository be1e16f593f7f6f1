import type { Severity } from '../validate/finding.js';
import { groupByOverlay, locationText, resourceText, summarize, summaryText, type Reporter } from './report.js';

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
/** GitHub rejects comments over 65,536 characters; stop well before. */
const MAX_ROWS = 250;

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function code(s: string): string {
  return s ? `\`${s.replace(/`/g, "'")}\`` : '';
}

/** A pull-request comment: the summary, then a table of findings per overlay. */
export const markdownReporter: Reporter = {
  render(report, { cwd }) {
    const s = summarize(report);
    const out = ['## capifleet validate', '', `${s.errors ? '❌' : '✅'} ${summaryText(s)}`, ''];
    let rows = 0;
    for (const group of groupByOverlay(report)) {
      if (group.findings.length === 0) continue;
      if (rows >= MAX_ROWS) break;
      out.push(`### ${cell(group.name)}`, '', '| | Rule | Object | Finding | Location |', '|---|---|---|---|---|');
      for (const f of group.findings) {
        if (rows >= MAX_ROWS) break;
        rows++;
        out.push(`| ${ICON[f.severity]} | ${code(f.ruleId)} | ${cell(resourceText(f.resource))} | ${cell(f.message)} | ${code(locationText(f, cwd) ?? '')} |`);
      }
      out.push('');
    }
    const hidden = report.findings.length - rows;
    if (hidden > 0) out.push(`_…and ${hidden} more; run \`capifleet validate\` locally for the full list._`, '');
    return `${out.join('\n')}`;
  },
};
