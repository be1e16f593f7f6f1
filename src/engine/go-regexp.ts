/**
 * Go (RE2) regular expressions, as kustomize compiles the user's patterns (patch targets, image
 * names, replacement field paths), rewritten into JavaScript's syntax: `(?P<name>` groups, inline
 * flags (`(?i)`, `(?i:...)`; flags set at the start of the pattern become the RegExp's flags,
 * case-insensitive groups spell each letter in both cases), POSIX classes such as `[[:alpha:]]`,
 * and `\A`/`\z`. `prefix` and `suffix` are JavaScript pattern text wrapped around the translation.
 */
export function goRegExp(pattern: string, prefix = '', suffix = ''): RegExp {
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  const flags = leading ? [...new Set(leading[1]!.replace('U', ''))].join('') : '';
  return new RegExp(prefix + translate(leading ? pattern.slice(leading[0].length) : pattern) + suffix, flags);
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

function translate(p: string): string {
  let out = '';
  const caseless: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const ci = caseless[caseless.length - 1]!;
    if (c === '\\') {
      const next = p[i + 1] ?? '';
      out += next === 'A' && !inClass ? '^' : next === 'z' && !inClass ? '$' : c + next;
      i++;
    } else if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (posix && POSIX_CLASSES[posix[2]!] && !posix[1]) {
        out += POSIX_CLASSES[posix[2]!];
        i += posix[0].length - 1;
      } else {
        if (c === ']') inClass = false;
        out += ci && /[a-zA-Z]/.test(c) ? c.toLowerCase() + c.toUpperCase() : c;
      }
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += '\\' + p[++i];
    } else if (c === '(') {
      const setFlags = /^\(\?([imsU]+)\)/.exec(p.slice(i));
      const named = /^\(\?P</.exec(p.slice(i));
      const group = /^\(\?([imsU]*)(?:-[imsU]*)?:/.exec(p.slice(i));
      if (setFlags) {
        // flags set mid-pattern hold to the end of the enclosing group; only case folding is kept
        if (setFlags[1]!.includes('i')) caseless[caseless.length - 1] = true;
        i += setFlags[0].length - 1;
      } else if (named) {
        out += '(?<';
        i += 3;
        caseless.push(ci);
      } else if (group) {
        out += '(?:';
        i += group[0].length - 1;
        caseless.push(ci || group[1]!.includes('i'));
      } else {
        out += c;
        caseless.push(ci);
      }
    } else if (c === ')') {
      out += c;
      if (caseless.length > 1) caseless.pop();
    } else {
      out += ci && /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}
