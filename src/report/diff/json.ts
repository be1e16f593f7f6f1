import type { DiffWriter } from './writer.js';

/** The JSON output's version; a change that breaks scripts gets a new one. */
export const DIFF_JSON_VERSION = 'capifleet.io/diff/v1';

/**
 * For scripts: the whole report but the objects themselves (fields say what changed; Secret
 * values are masked). The shape is documented in the README and stays stable. Integers beyond
 * 2^53 are written as strings.
 */
export const jsonDiffWriter: DiffWriter = {
  render(report) {
    const out = {
      apiVersion: DIFF_JSON_VERSION,
      from: report.from,
      to: report.to,
      summary: report.summary,
      settings: report.settings,
      dangers: report.dangers,
      clusters: report.clusters.map((c) => ({
        name: c.name,
        status: c.status,
        unchanged: c.unchanged,
        resources: c.resources.map((r) => ({
          ...r.key,
          change: r.change,
          ...(r.renamedFrom !== undefined ? { renamedFrom: r.renamedFrom } : {}),
          fields: r.fields.map((f) => ({ path: f.path, change: f.change, ...(f.from !== undefined ? { from: f.from } : {}), ...(f.to !== undefined ? { to: f.to } : {}), ...(f.masked ? { masked: true } : {}) })),
        })),
      })),
    };
    return `${JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
  },
};
