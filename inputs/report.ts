/**
 * Reports what is wrong with the input files where people will see it: the
 * plain list on stderr, as always, and inside GitHub Actions
 * (`GITHUB_ACTIONS=true`) also one `::error` workflow command per problem on
 * stdout, which GitHub shows on the offending line of the pull request.
 *
 * Escaping follows GitHub's workflow-command rules (as @actions/core does):
 * in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in a property
 * (`file=`, `title=`) also `:` and `,` become `%3A` and `%2C`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  describeWhat,
  InputFileError,
  InputFilesError,
  type BuildEnvironmentError,
} from './errors';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A file's path as GitHub names it: relative to the repository root, with `/`. */
export function repositoryPath(file: string, root: string): string {
  const rel = relative(root, resolve(root, file));
  if (rel.startsWith('..') || isAbsolute(rel)) return resolve(root, file);
  return rel.split(sep).join('/');
}

/** One `::error` workflow command per problem, or one for an error outside the files. */
export function annotations(
  err: InputFileError | InputFilesError | BuildEnvironmentError,
  root: string,
): string[] {
  const files =
    err instanceof InputFilesError ? err.errors : err instanceof InputFileError ? [err] : [];
  if (files.length === 0) {
    return [`::error title=${escapeProperty('Configuration problem')}::${escapeData(err.message)}`];
  }
  return files.flatMap((e) =>
    e.problems.map((p) => {
      const props = [`file=${escapeProperty(repositoryPath(e.file, root))}`];
      if (p.line !== undefined) props.push(`line=${p.line}`, `col=${p.column ?? 1}`);
      props.push(`title=${escapeProperty(e.title)}`);
      return `::error ${props.join(',')}::${escapeData(describeWhat(p))}`;
    }),
  );
}

/**
 * Prints an input error for people: the message on stderr and, inside GitHub
 * Actions, the annotations on stdout (the runner reads commands there).
 * Paths are relative to `GITHUB_WORKSPACE` (the checkout), else the current
 * directory.
 */
export function reportInputError(
  err: InputFileError | InputFilesError | BuildEnvironmentError,
  env: NodeJS.ProcessEnv = process.env,
): void {
  process.stderr.write(`${err.message}\n`);
  if (env.GITHUB_ACTIONS !== 'true') return;
  const root = env.GITHUB_WORKSPACE || process.cwd();
  for (const line of annotations(err, root)) process.stdout.write(`${line}\n`);
}
