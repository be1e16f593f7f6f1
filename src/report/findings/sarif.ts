import { displayPath } from '../../display-path.js';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../validate/finding.js';
import { findingText, type Reporter } from './report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 for code scanning (GitHub annotates pull requests from it): one run, every rule
 * described, each result located at the source file and line relative to %SRCROOT% (the
 * working directory).
 */
export const sarifReporter: Reporter = {
  render(report, { cwd }) {
    const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
    const results = report.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: `${findingText(f)}${f.overlay ? ` (in ${f.overlay})` : ''}` },
      ...(f.location && f.location.file !== '-'
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(displayPath(f.location.file, cwd)), uriBaseId: '%SRCROOT%' },
                  region: { startLine: f.location.line },
                },
              },
            ],
          }
        : {}),
      ...(f.path !== undefined || f.overlay
        ? { properties: { ...(f.overlay ? { overlay: f.overlay } : {}), ...(f.path !== undefined ? { jsonPointer: f.path } : {}), ...(f.expected !== undefined ? { expected: f.expected } : {}), ...(f.actual !== undefined ? { actual: f.actual } : {}) } }
        : {}),
    }));
    const sarif = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: report.tool.name,
              version: report.tool.version,
              rules: report.rules.map((r) => ({
                id: r.id,
                shortDescription: { text: r.doc },
                defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              })),
            },
          },
          originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
          results,
        },
      ],
    };
    return `${JSON.stringify(sarif, null, 2)}\n`;
  },
};
