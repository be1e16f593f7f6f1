/**
 * go-yaml v2's YAML 1.1 plain-scalar resolution, used by the emitter: kustomize's final
 * printing step (sigs.k8s.io/yaml JSONToYAML) quotes any string that, written plain,
 * would read back as something other than a string.
 */

const YAML11_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
  '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

/** Go's strconv.ParseFloat syntax for decimals starting with a dot. */
const GO_DOT_FLOAT = /^\.\d+(?:[eE][+-]?\d+)?$/;
/** The float syntax go-yaml v2 accepts before asking ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** YAML 1.1 sexagesimal floats such as 1:20 or 190:20:30.15. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** True when go-yaml v2 would not read `s`, written as a plain scalar, back as a string. */
export function isNonStringPlainScalar(s: string): boolean {
  if (s === '') return true; // the empty plain scalar is null
  if (YAML11_WORDS.has(s)) return true;
  if (BASE60_FLOAT.test(s)) return true;
  const c = s[0]!;
  if (c === '.') return goParseDotFloatOk(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (c >= '0' && c <= '9' && isTimestamp(s)) return true;
    const plain = s.replaceAll('_', '');
    if (goParseIntBase0(plain) !== undefined) return true;
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

/** Go's strconv.ParseInt/ParseUint with base 0 (64-bit), after go-yaml stripped underscores. */
function goParseIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]?([0-7]+)|([1-9][0-9]*|0))$/.exec(s);
  if (!m) return undefined;
  const magnitude =
    m[2] !== undefined ? BigInt('0x' + m[2]) :
    m[3] !== undefined ? BigInt('0b' + m[3]) :
    m[4] !== undefined ? BigInt('0o' + m[4]) :
    BigInt(m[5]!);
  const v = m[1] === '-' ? -magnitude : magnitude;
  return v < INT64_MIN || v > UINT64_MAX ? undefined : v;
}

/** Go's strconv.ParseFloat succeeding (no overflow) on a text that starts with a dot. */
function goParseDotFloatOk(s: string): boolean {
  const digits = s.replaceAll('_', '');
  if (digits !== s && !goUnderscoresOk(s)) return false;
  return GO_DOT_FLOAT.test(digits) && Number.isFinite(Number(digits));
}

/** Go's rule for `_` in numeric literals: only between digits (or after a base prefix). */
function goUnderscoresOk(s: string): boolean {
  let body = s.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[bBoOxX]/.test(body)) {
    hex = /^0[xX]/.test(body);
    saw = '0';
    body = body.slice(2);
  }
  for (const ch of body) {
    const digit = (ch >= '0' && ch <= '9') || (hex && /[a-fA-F]/.test(ch));
    if (digit) saw = '0';
    else if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const TIME_OF_DAY = String.raw`(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?`;
const TIMESTAMP = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]${TIME_OF_DAY}(?:Z|[+-](\d{2}):(\d{2}))| ${TIME_OF_DAY})?$`,
);

/**
 * go-yaml v2's timestamp check: Go's time.Parse with the layouts 2006-1-2T15:4:5.999999999Z07:00
 * (also with a lower-case t), "2006-1-2 15:4:5.999999999" and 2006-1-2, including its range checks.
 */
export function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  const hour = m[4] ?? m[9];
  const minute = m[5] ?? m[10];
  const second = m[6] ?? m[11];
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59)) return false;
  if (m[7] !== undefined && (Number(m[7]) > 24 || Number(m[8]) > 60)) return false;
  return true;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
