/**
 * Errors in files people edit (the roster, the settings). Every problem is
 * collected first and reported together, so that one run shows the whole
 * list instead of one fix-and-retry cycle per typo.
 *
 * `describeProblem` is the one place a problem's message is completed: it
 * quotes the offending value (shortened, invisible characters made visible)
 * and adds the suggested fix, so every check reports values the same way.
 */

/** One thing wrong with an input file, and where. */
export interface Problem {
  /** JSON path of the offending value, e.g. `$.users[3].email`. */
  readonly path: string;
  /** What is wrong, phrased for the person editing the file, with the value and any suggestion. */
  readonly message: string;
  /** Who or what the value belongs to, e.g. `user "alice"`, when known. */
  readonly subject?: string;
  /** 1-based line and column in the file, when known. */
  readonly line?: number;
  readonly column?: number;
}

/** Thrown when an input file is invalid; carries every problem found. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
    /** What the file is, for annotations: "Roster problem", "Settings problem". */
    readonly title = 'Input file problem',
  ) {
    super(formatProblems(file, problems));
    this.name = 'InputFileError';
  }
}

export function formatProblem(file: string, p: Problem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
  return `${where} ${describeWhat(p)}`;
}

/** A problem without its file position: `$.path (subject): message`. */
export function describeWhat(p: Problem): string {
  const subject = p.subject ? ` (${p.subject})` : '';
  return `${p.path}${subject}: ${p.message}`;
}

export function formatProblems(file: string, problems: readonly Problem[]): string {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return [
    `${file} has ${problems.length} ${noun}:`,
    ...problems.map((p) => `  - ${formatProblem(file, p)}`),
  ].join('\n');
}

// --- values in messages ----------------------------------------------------

/** Values longer than this many characters are shortened with an ellipsis. */
export const QUOTE_MAX_CHARS = 60;

/**
 * Characters a reader cannot see or tell apart from a space: control and
 * format characters (tab, newline, zero-width space, byte order mark, bidi
 * controls), every space but U+0020 (non-breaking, ideographic, ...), line
 * and paragraph separators, lone surrogates, and the blank-looking fillers.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2800\u3164\uffa0]|\u034f|\u115f|\u1160/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
const SHORT_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(ch: string): string {
  if (SHORT_ESCAPES[ch]) return SHORT_ESCAPES[ch];
  const code = ch.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text in double quotes, as a reader needs it in a log: `"` and `\` escaped,
 * invisible characters as escapes (`\t`, `\u200b`, `\u00a0`), at most `max`
 * characters of the original followed by `…` when longer.
 */
export function quote(text: string, max = QUOTE_MAX_CHARS): string {
  const chars = Array.from(text);
  const kept = chars.length > max ? chars.slice(0, max - 1) : chars;
  const body = kept
    .map((ch) => (ch === '"' || ch === '\\' ? `\\${ch}` : INVISIBLE.test(ch) ? escapeChar(ch) : ch))
    .join('');
  return `"${body}${kept.length < chars.length ? '…' : ''}"`;
}

/**
 * Any JSON value as it appears in a message: a string quoted (with its length
 * when shortened), a number, boolean or null as JSON, a list or object as
 * compact JSON when short and by its size when not.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    const length = Array.from(value).length;
    return length > QUOTE_MAX_CHARS ? `${quote(value)} (${length} characters)` : quote(value);
  }
  const json = (JSON.stringify(value) ?? String(value)).replace(INVISIBLE_ALL, escapeChar);
  if (Array.from(json).length <= QUOTE_MAX_CHARS) return json;
  if (Array.isArray(value))
    return `a list of ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
  const fields = Object.keys(value as object).length;
  return `an object with ${fields} ${fields === 1 ? 'field' : 'fields'}`;
}

// --- suggestions -----------------------------------------------------------

/**
 * Optimal string alignment distance (Levenshtein plus transposition of two
 * neighbours, so `emial` is one edit from `email`), ignoring case.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a.toLowerCase());
  const t = Array.from(b.toLowerCase());
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[s.length][t.length];
}

/**
 * The candidate closest to `input` (ignoring case), when it is close enough
 * to be a likely typo: at most one edit per four characters of the longer
 * word (at least one edit), and no other candidate equally close.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of new Set(candidates)) {
    const d = editDistance(input, c);
    if (d < bestDistance) [best, bestDistance, tie] = [c, d, false];
    else if (d === bestDistance && c.toLowerCase() !== best?.toLowerCase()) tie = true;
  }
  if (best === undefined || tie || bestDistance === 0) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 4));
  return bestDistance <= allowed ? best : undefined;
}

// --- the problem builder ---------------------------------------------------

/** A problem before its message is completed. */
export interface ProblemInput {
  readonly path: string;
  readonly message: string;
  readonly subject?: string;
  readonly line?: number;
  readonly column?: number;
  /** The offending value; left out when there is none (a missing field, an unreadable file). */
  readonly value?: unknown;
  /** What the value is probably meant to be; rendered like a value. */
  readonly suggestion?: unknown;
}

/** Whether `message` has `rendered` as a whole (`10` is not in `1096`). */
function mentions(message: string, rendered: string): boolean {
  const escaped = rendered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?![\\w.])`, 'u').test(message);
}

/**
 * Completes a problem's message: `<message>; found <value>; did you mean
 * <suggestion>?`. The value is left out when the message already quotes it
 * exactly as it would be rendered (`refers to group "suport"`), so nothing is
 * said twice. The subject does not count: `(user "x")` names whose entry it
 * is, and the entry's email may well be "x" too.
 */
export function describeProblem(input: ProblemInput): Problem {
  const { path, message, subject, line, column, value, suggestion } = input;
  let text = message;
  if (value !== undefined) {
    const shown = renderValue(value);
    if (!mentions(message, typeof value === 'string' ? quote(value) : shown)) {
      text += `; found ${shown}`;
    }
  }
  if (suggestion !== undefined) text += `; did you mean ${renderValue(suggestion)}?`;
  return {
    path,
    message: text,
    ...(subject ? { subject } : {}),
    ...(line !== undefined ? { line, column: column ?? 1 } : {}),
  };
}

/** JSON path segment rendering shared by every validator: `$.users[0].email`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    const key = String(s);
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `${acc}.${key}` : `${acc}[${quote(key, Infinity)}]`;
  }, '$');
}

/** Several input files are invalid at once; each keeps its own problems. */
export class InputFilesError extends Error {
  constructor(readonly errors: readonly InputFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputFilesError';
  }
}

/**
 * A setting of the build outside the input files (an environment variable
 * such as TF_STATE_BUCKET) is wrong. Not the welcome function's
 * FunctionEnvironmentError: that one is about the function's environment.
 */
export class BuildEnvironmentError extends Error {}

/** Whether an error is about what people configure (as opposed to a bug): reported, not thrown. */
export function isInputError(
  err: unknown,
): err is InputFileError | InputFilesError | BuildEnvironmentError {
  return (
    err instanceof InputFileError ||
    err instanceof InputFilesError ||
    err instanceof BuildEnvironmentError
  );
}
