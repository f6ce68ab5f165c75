/**
 * Errors in files people edit (the roster, the settings). Every problem is
 * collected first and reported together, so that one run shows the whole
 * list instead of one fix-and-retry cycle per typo.
 */

/** One thing wrong with an input file, and where. */
export interface Problem {
  /** JSON path of the offending value, e.g. `$.users[3].email`. */
  readonly path: string;
  /** What is wrong, phrased for the person editing the file. */
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
  ) {
    super(formatProblems(file, problems));
    this.name = 'InputFileError';
  }
}

export function formatProblem(file: string, p: Problem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
  const subject = p.subject ? ` (${p.subject})` : '';
  return `${where} ${p.path}${subject}: ${p.message}`;
}

export function formatProblems(file: string, problems: readonly Problem[]): string {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return [
    `${file} has ${problems.length} ${noun}:`,
    ...problems.map((p) => `  - ${formatProblem(file, p)}`),
  ].join('\n');
}

/** JSON path segment rendering shared by every validator: `$.users[0].email`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    const key = String(s);
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `${acc}.${key}` : `${acc}[${JSON.stringify(key)}]`;
  }, '$');
}

/** Several input files are invalid at once; each keeps its own problems. */
export class InputFilesError extends Error {
  constructor(readonly errors: readonly InputFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputFilesError';
  }
}

/** A setting outside the input files (an environment variable) is wrong. */
export class ConfigError extends Error {}

/** Whether an error is about what people configure (as opposed to a bug): reported, not thrown. */
export function isInputError(err: unknown): err is InputFileError | InputFilesError | ConfigError {
  return (
    err instanceof InputFileError || err instanceof InputFilesError || err instanceof ConfigError
  );
}
