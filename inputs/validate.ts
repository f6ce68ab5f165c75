/**
 * Turns zod's issues into positioned Problems. Roster and settings share it,
 * so both files report errors the same way: every problem at once, each with
 * its JSON path, line and column, whose entry it is, the value found and,
 * where a simple fix is evident, the suggestion (inputs/errors.ts words it).
 */
import type { z } from 'zod';
import {
  closestMatch,
  describeProblem,
  InputFileError,
  jsonPath,
  quote,
  type Problem,
} from './errors';
import type { JsonDocument } from './json-file';
import { scheduleSuggestion } from '../shared/rules';
import { cdktfMarkerProblems } from './cdktf-markers';

/** Names the entry a path belongs to, e.g. `user "alice"`; undefined when none applies. */
export type SubjectOf = (path: readonly PropertyKey[]) => string | undefined;

// --- the schema and the document at a path ----------------------------------

/** The parts of zod's internal definition this module reads. */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional, default and the like down to the schema that checks the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.innerType && /^(optional|nullable|default|prefault|readonly|catch)$/.test(def.type))
      s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** The schema of the value at `path` (of the key itself when `key`), or undefined. */
function schemaAt(
  root: z.ZodType,
  path: readonly PropertyKey[],
  key = false,
): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (let i = 0; i < path.length && s; i++) {
    const def = defOf(unwrap(s));
    const segment = path[i];
    if (def.type === 'object') s = def.shape?.[String(segment)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = key && i === path.length - 1 ? def.keyType : def.valueType;
    else s = undefined;
  }
  return s;
}

/** The field names an object schema at `path` allows. */
function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  const def = s && defOf(unwrap(s));
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The raw value at `path`, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const segment of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[segment];
  }
  return v;
}

// --- suggested fixes -------------------------------------------------------

/**
 * Small repairs for a value typed or pasted slightly wrong, tried in order,
 * each on the result of the one before: tabs, newlines and odd spaces as
 * plain spaces, invisible characters removed, surrounding spaces trimmed;
 * spaces around `@`, a trailing dot, a `mailto:` or `Name <…>`
 * wrapping, doubled `@` or `.`, upper case, and last a rate's unit.
 */
const REPAIRS: readonly ((s: string) => string)[] = [
  (s) =>
    s
      .replace(/[\t\n\v\f\r\p{Zs}\u2028\u2029]+/gu, ' ')
      .replace(/[\p{Cc}\p{Cf}\u3164\uffa0]|\u034f|\u115f|\u1160/gu, '')
      .trim(),
  (s) => s.replace(/\s*@\s*/g, '@'),
  (s) => s.replace(/\.+$/, ''),
  (s) => /^(?:mailto:)?\s*(?:[^<>]*<([^<>]+)>|(.*))$/i.exec(s)?.slice(1).find(Boolean) ?? s,
  (s) => s.replace(/@{2,}/g, '@').replace(/\.{2,}/g, '.'),
  (s) => s.toLowerCase(),
  // `rate(2 hour)` for `rate(2 hours)`: EventBridge wants the unit to agree with the number.
  (s) => scheduleSuggestion(s) ?? s,
];

/**
 * What a value that failed its schema probably should have been: the first
 * small repair the same schema accepts, a number written as a string (or the
 * reverse), or undefined when nothing simple works.
 */
function repairFor(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const accepts = (v: unknown) => schema.safeParse(v).success;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return accepts(String(value)) ? String(value) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  // JSON's own number grammar: "00" or "01" looks numeric but JSON.parse refuses it.
  if (/^(?:true|false|-?(?:0|[1-9]\d*)(?:\.\d+)?)$/.test(value.trim())) {
    const parsed = JSON.parse(value.trim()) as unknown;
    if (accepts(parsed)) return parsed;
  }
  let s = value;
  for (const repair of REPAIRS) {
    const next = repair(s);
    if (next === s) continue;
    s = next;
    if (s !== '' && accepts(s)) return s;
  }
  return undefined;
}

// --- issues to problems ----------------------------------------------------

/** Whether the field at `path` is absent from an object that is there. */
function isMissing(root: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(root, path.slice(0, -1));
  return (
    typeof parent === 'object' &&
    parent !== null &&
    !Array.isArray(parent) &&
    !Object.prototype.hasOwnProperty.call(parent, path[path.length - 1])
  );
}

function describeIssue(issue: z.core.$ZodIssue, doc: JsonDocument): string {
  // A bad key of a record: the key's own rule says what is wrong, not the record's.
  if (issue.code === 'invalid_key' && issue.issues[0]) return issue.issues[0].message;
  // A type error on an absent field is a missing field, whatever type the schema wants.
  if (
    issue.code === 'invalid_type' &&
    !issue.message.startsWith('is required') &&
    isMissing(doc.value, issue.path)
  )
    return 'is required';
  return issue.message;
}

/** A file's own suggestion for a value its schema refused, when the generic repairs find none. */
export type Suggest = (issue: z.core.$ZodIssue, value: unknown) => unknown;

export function issuesToProblems(
  doc: JsonDocument,
  issues: readonly z.core.$ZodIssue[],
  subjectOf: SubjectOf = () => undefined,
  schema?: z.ZodType,
  suggest: Suggest = () => undefined,
): Problem[] {
  return issues.flatMap((issue) => {
    const path = issue.path;
    const subject = subjectOf(path);
    const common = { ...(subject ? { subject } : {}) };
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, each at the key itself, with the field probably meant.
      const present = Object.keys((valueAt(doc.value, path) as object | null) ?? {});
      const candidates = schema ? knownKeys(schema, path).filter((k) => !present.includes(k)) : [];
      return issue.keys.map((key) =>
        describeProblem({
          path: jsonPath([...path, key]),
          message: `unknown field ${quote(key)} (check the spelling; unknown fields are not allowed)`,
          value: key,
          suggestion: closestMatch(key, candidates),
          ...common,
          ...doc.position([...path, key]),
        }),
      );
    }
    // A record's bad key is the offending value, not what the key holds.
    const isKey = issue.code === 'invalid_key';
    const value = isKey ? String(path[path.length - 1]) : valueAt(doc.value, path);
    return [
      describeProblem({
        path: jsonPath(path),
        message: describeIssue(issue, doc),
        value,
        suggestion:
          (schema ? repairFor(schemaAt(schema, path, isKey), value) : undefined) ??
          suggest(issue, value),
        ...common,
        ...doc.position(path),
      }),
    ];
  });
}

/** A problem found by a check that spans entries, before it is positioned. */
export interface CrossProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The offending value, when it is not the value at `path` (a record's key, say). */
  readonly value?: unknown;
  /** Names the value should be one of: the closest is suggested when it is close enough. */
  readonly candidates?: readonly string[];
}

function fileOrder(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

export interface ValidateOptions {
  /** Names the entry a path belongs to. */
  readonly subjectOf?: SubjectOf;
  /** What the file is, for annotations ("Roster problem"). @default the document's */
  readonly title?: string;
  /** Suggestions of the file's own (see Suggest). */
  readonly suggest?: Suggest;
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
  options: ValidateOptions = {},
): z.output<S> {
  const subjectOf = options.subjectOf ?? (() => undefined);
  const result = schema.safeParse(doc.value);
  const problems = result.success
    ? []
    : issuesToProblems(doc, result.error.issues, subjectOf, schema, options.suggest);
  for (const c of [...crossChecks(doc.value), ...cdktfMarkerProblems(doc.value)]) {
    const subject = subjectOf(c.path);
    const value = 'value' in c ? c.value : valueAt(doc.value, c.path);
    problems.push(
      describeProblem({
        path: jsonPath(c.path),
        message: c.message,
        value,
        suggestion:
          c.candidates && typeof value === 'string' ? closestMatch(value, c.candidates) : undefined,
        ...(subject ? { subject } : {}),
        ...doc.position(c.path),
      }),
    );
  }
  if (!result.success || problems.length > 0) {
    throw new InputFileError(doc.file, problems.sort(fileOrder), options.title ?? doc.title);
  }
  return result.data;
}
