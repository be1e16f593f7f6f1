import { painter } from '../terminal.js';
import type { Severity } from '../../validate/finding.js';
import { findingText, groupByOverlay, locationText, summarize, summaryText, type Reporter } from './report.js';

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36' };

/**
 * For people at a terminal: findings grouped by overlay, each line starting with `file:line` so
 * editors and terminals can jump there, then a summary line. Overlays without findings are
 * counted in the summary only, so a fleet of a thousand stays readable.
 */
export const textReporter: Reporter = {
  render(report, { color, cwd }) {
    const paint = painter(color);
    const lines: string[] = [];
    for (const group of groupByOverlay(report)) {
      if (group.findings.length === 0) continue;
      lines.push(paint('1', group.name));
      for (const f of group.findings) {
        const where = locationText(f, cwd);
        const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
        lines.push(`  ${severity} ${where ? `${paint('2', where)}: ` : ''}${findingText(f)} ${paint('2', `[${f.ruleId}]`)}`);
        // most messages already say what was expected and found; the rest get a second line
        const detail = [
          f.expected !== undefined && !f.message.includes(f.expected) ? `expected ${f.expected}` : '',
          f.actual !== undefined && !f.message.includes(f.actual) ? `got ${f.actual}` : '',
        ].filter(Boolean);
        if (detail.length) lines.push(`          ${paint('2', detail.join('; '))}`);
      }
      lines.push('');
    }
    const s = summarize(report);
    const mark = s.errors ? paint('31', '✖') : paint('32', '✔');
    lines.push(`${mark} ${summaryText(s)}`);
    return `${lines.join('\n')}\n`;
  },
};
