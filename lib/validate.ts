/**
 * Turns zod's issues into positioned Problems. Roster and settings share it,
 * so both files report errors the same way: every problem at once, each with
 * its JSON path, line and column, and whose entry it is.
 */
import type { z } from 'zod';
import { InputFileError, jsonPath, type Problem } from './errors';
import type { JsonDocument } from './json-file';

/** Names the entry a path belongs to, e.g. `user "alice"`; undefined when none applies. */
export type SubjectOf = (path: readonly PropertyKey[]) => string | undefined;

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (check the spelling; unknown fields are not allowed)`;
  }
  // A bad key of a record: the key's own rule says what is wrong, not the record's.
  if (issue.code === 'invalid_key' && issue.issues[0]) return issue.issues[0].message;
  return issue.message;
}

export function issuesToProblems(
  doc: JsonDocument,
  issues: readonly z.core.$ZodIssue[],
  subjectOf: SubjectOf = () => undefined,
): Problem[] {
  return issues.map((issue) => {
    const path = issue.path;
    // Point unknown keys at the key itself rather than at the object holding it.
    const at =
      issue.code === 'unrecognized_keys' && issue.keys[0] ? [...path, issue.keys[0]] : path;
    const subject = subjectOf(path);
    return {
      path: jsonPath(at),
      message: describeIssue(issue),
      ...(subject ? { subject } : {}),
      ...(doc.position(at) ?? {}),
    };
  });
}

/** A problem found by a check that spans entries, before it is positioned. */
export interface CrossProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function fileOrder(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Validates a parsed document: the schema, then checks that span entries
 * (uniqueness, references). The cross checks run on the raw value even when
 * the schema failed, so one run reports both kinds; every problem is thrown
 * at once, in file order.
 */
export function validateDocument<S extends z.ZodType>(
  doc: JsonDocument,
  schema: S,
  crossChecks: (raw: unknown) => readonly CrossProblem[],
  subjectOf: SubjectOf = () => undefined,
): z.output<S> {
  const result = schema.safeParse(doc.value);
  const problems = result.success ? [] : issuesToProblems(doc, result.error.issues, subjectOf);
  for (const c of crossChecks(doc.value)) {
    const subject = subjectOf(c.path);
    problems.push({
      path: jsonPath(c.path),
      message: c.message,
      ...(subject ? { subject } : {}),
      ...(doc.position(c.path) ?? {}),
    });
  }
  if (!result.success || problems.length > 0) {
    throw new InputFileError(doc.file, problems.sort(fileOrder));
  }
  return result.data;
}
