import { paintUnifiedDiff, painter } from '../terminal.js';
import type { DangerSeverity } from '../../diff/types.js';
import { objectName, resourcePatch, settingText, summaryLine, type DiffWriter } from './writer.js';

const SEVERITY_COLOR: Record<DangerSeverity, string> = { error: '31', warning: '33', info: '36' };

/** For people at a terminal: the summary and dangers first, then each changed cluster's resources as colored unified diffs. */
export const textDiffWriter: DiffWriter = {
  render(report, { color }) {
    const paint = painter(color);
    const lines = [paint('1', `capifleet diff ${report.from} → ${report.to}`), summaryLine(report.summary), ''];
    if (report.settings.length) {
      lines.push(paint('1', 'Settings'));
      for (const s of report.settings) lines.push(`  ${settingText(s, report.from, report.to)}`);
      lines.push('');
    }
    if (report.dangers.length) {
      lines.push(paint('1', 'Dangers'));
      for (const d of report.dangers) {
        lines.push(`  ${paint(SEVERITY_COLOR[d.severity], d.severity.padEnd(7))} ${d.cluster ? `${d.cluster}: ` : ''}${d.message} ${paint('2', `[${d.id}]`)}`);
      }
      lines.push('');
    }
    for (const cluster of report.clusters) {
      if (cluster.status === 'unchanged') continue;
      lines.push(paint('1', `cluster ${cluster.name} (${cluster.status})`));
      for (const change of cluster.resources) {
        const renamed = change.renamedFrom !== undefined ? `, renamed from ${change.renamedFrom}` : '';
        lines.push(`  ${change.change} ${objectName(change.key)}${renamed}`);
      }
      lines.push('');
      for (const change of cluster.resources) lines.push(paintUnifiedDiff(resourcePatch(change, report), paint), '');
    }
    return `${lines.join('\n').trimEnd()}\n`;
  },
};
