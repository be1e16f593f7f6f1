import { displayPath } from '../../display-path.js';
import { summarize, type Reporter } from './report.js';

/** For programs: the summary, the overlays checked and every finding, paths relative to the working directory. */
export const jsonReporter: Reporter = {
  render(report, { cwd }) {
    const out = {
      tool: report.tool,
      summary: summarize(report),
      overlays: report.units.map((u) => ({ name: u.name, resources: u.resources.length })),
      findings: report.findings.map((f) => (f.location ? { ...f, location: { ...f.location, file: displayPath(f.location.file, cwd) } } : f)),
    };
    return `${JSON.stringify(out, null, 2)}\n`;
  },
};
