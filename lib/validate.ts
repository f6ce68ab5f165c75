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

/** Validates a parsed document against a schema, throwing every problem at once. */
export function parseWith<S extends z.ZodType>(
  doc: JsonDocument,
  schema: S,
  subjectOf?: SubjectOf,
): z.output<S> {
  const result = schema.safeParse(doc.value);
  if (!result.success) {
    throw new InputFileError(doc.file, issuesToProblems(doc, result.error.issues, subjectOf));
  }
  return result.data;
}
