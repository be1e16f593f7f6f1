/**
 * Markdown pieces whose content comes from the repository (names, messages, paths): escaped so
 * that nothing a user controls can break a table or end a code span.
 */

/** Text for one table cell: pipes and backslashes escaped, newlines as `<br>`. */
export function markdownCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** An inline code span (empty text stays empty); backticks inside become quotes, line breaks spaces (a blank line would end it). */
export function markdownCode(s: string): string {
  return s ? `\`${s.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\`` : '';
}

/** A fenced block that no line of its content can close: the fence is longer than any run of backticks inside. */
export function fenced(lang: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content}\n${fence}`;
}

/** GitHub refuses a comment over 65,536 characters. */
export const MARKDOWN_BUDGET = 65_536;

/** Characters a name keeps in a list of what was cut: a long one cannot spend the budget it reports on. */
const NAME_LENGTH = 100;

/** `` `a`, `b`, `c` and 12 more ``: the first `limit` names as code spans (each at most NAME_LENGTH characters), the rest counted. */
export function namedList(names: readonly string[], limit: number): string {
  const shown = names
    .slice(0, limit)
    .map((n) => markdownCode(n.length > NAME_LENGTH ? `${n.slice(0, NAME_LENGTH - 1)}…` : n))
    .join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

/** What a piece of markdown costs: its characters, each line with its line break. */
export function markdownSize(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

/** Lines gathered within a budget of characters: `add` appends lines only when they fit, and says whether they did. */
export function budgetedLines(budget: number): { lines: string[]; add: (...lines: string[]) => boolean } {
  const out: string[] = [];
  let used = 0;
  return {
    lines: out,
    add: (...lines) => {
      const size = markdownSize(lines);
      if (used + size > budget) return false;
      out.push(...lines);
      used += size;
      return true;
    },
  };
}
