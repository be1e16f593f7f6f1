import { displayPath } from '../../display-path.js';
import type { Severity } from '../../validate/finding.js';
import { findingText, summarize, summaryText, type Reporter } from './report.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Workflow command escaping: data loses %, CR and LF; properties also `:` and `,`. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: each finding annotates its file and line in the run and the pull request. */
export const githubReporter: Reporter = {
  render(report, { cwd }) {
    const lines = report.findings.map((f) => {
      const props = [
        ...(f.location && f.location.file !== '-' ? [`file=${escapeProperty(displayPath(f.location.file, cwd))}`, `line=${f.location.line}`] : []),
        `title=${escapeProperty(`capifleet ${f.ruleId}`)}`,
      ];
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${findingText(f)}${f.overlay ? ` (in ${f.overlay})` : ''}`)}`;
    });
    lines.push(summaryText(summarize(report)));
    return `${lines.join('\n')}\n`;
  },
};
