/**
 * A small EventBridge event-pattern matcher, for testing the patterns this
 * project deploys against sample events without AWS.
 *
 * Implements the documented semantics of the subset used here:
 * - a pattern is an object; every field it names must match (AND);
 * - a nested object matches the event's nested object field by field;
 * - a leaf is a non-empty array of alternatives (OR): exact values (string,
 *   number, boolean, null; strings case-sensitive, numbers by value) or
 *   operator objects `{"exists": true|false}` and `{"prefix": "..."}`;
 * - when the event's value is an array, the leaf matches if any element does;
 * - `{"exists": false}` matches only when the field is absent (a field present
 *   with value null exists), and a missing parent object counts as absent;
 * - a nested object whose event value is a list of objects matches when one
 *   element matches it whole: EventBridge (its engine, Event Ruler) never
 *   combines fields of different elements; a list without a matching element
 *   (or an empty one) does not match;
 * - `"$or": [pattern, pattern, ...]` (at least two) matches when any of its
 *   patterns matches the object it sits in, alongside that object's other
 *   fields (which still must match).
 * Anything else (other operators, bare leaves, empty arrays) is rejected as an
 * unsupported pattern rather than guessed at.
 */

export type EventPattern = {
  readonly [key: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
};
export type PatternValue =
  string | number | boolean | null | { readonly exists: boolean } | { readonly prefix: string };

export class UnsupportedPatternError extends Error {
  constructor(path: string, what: string) {
    super(`unsupported event pattern at ${path}: ${what}`);
    this.name = 'UnsupportedPatternError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws UnsupportedPatternError unless `pattern` uses only what this module implements. */
export function validatePattern(pattern: unknown, path = '$'): asserts pattern is EventPattern {
  if (!isPlainObject(pattern))
    throw new UnsupportedPatternError(path, 'a pattern must be an object');
  if (Object.keys(pattern).length === 0 && path === '$') {
    throw new UnsupportedPatternError(path, 'an empty pattern');
  }
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        throw new UnsupportedPatternError(at, '$or takes a list of at least two patterns');
      }
      value.forEach((branch, i) => {
        if (Object.keys(branch).length === 0)
          throw new UnsupportedPatternError(`${at}[${i}]`, 'an empty pattern');
        validatePattern(branch, `${at}[${i}]`);
      });
    } else if (Array.isArray(value)) {
      if (value.length === 0)
        throw new UnsupportedPatternError(at, 'an empty list matches nothing');
      for (const alt of value) validateAlternative(alt, at);
    } else if (isPlainObject(value)) {
      validatePattern(value, at);
    } else {
      throw new UnsupportedPatternError(at, 'a leaf must be a list of values');
    }
  }
}

function validateAlternative(alt: unknown, at: string): void {
  if (alt === null || ['string', 'number', 'boolean'].includes(typeof alt)) return;
  if (isPlainObject(alt)) {
    const keys = Object.keys(alt);
    if (keys.length === 1 && keys[0] === 'exists' && typeof alt.exists === 'boolean') return;
    if (keys.length === 1 && keys[0] === 'prefix' && typeof alt.prefix === 'string') return;
    throw new UnsupportedPatternError(at, `operator ${JSON.stringify(alt)}`);
  }
  throw new UnsupportedPatternError(at, `value ${JSON.stringify(alt)}`);
}

const ABSENT = Symbol('absent');

function matchesScalar(alt: PatternValue, value: unknown): boolean {
  if (alt === null) return value === null;
  if (typeof alt === 'object') {
    if ('prefix' in alt) return typeof value === 'string' && value.startsWith(alt.prefix);
    return false; // exists is handled by the caller
  }
  if (typeof alt === 'number') return typeof value === 'number' && value === alt;
  return value === alt;
}

function matchesLeaf(alternatives: readonly PatternValue[], value: unknown): boolean {
  return alternatives.some((alt) => {
    if (alt !== null && typeof alt === 'object' && 'exists' in alt) {
      return alt.exists ? value !== ABSENT : value === ABSENT;
    }
    if (value === ABSENT) return false;
    const candidates = Array.isArray(value) ? value : [value];
    return candidates.some((v) => !isPlainObject(v) && matchesScalar(alt, v));
  });
}

function matchesObject(pattern: EventPattern, event: unknown): boolean {
  const obj = isPlainObject(event) ? event : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return (sub as readonly EventPattern[]).some((p) => matchesObject(p, obj));
    const value = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : ABSENT;
    if (Array.isArray(sub)) return matchesLeaf(sub as readonly PatternValue[], value);
    if (Array.isArray(value)) {
      return value.some(
        (element) => isPlainObject(element) && matchesObject(sub as EventPattern, element),
      );
    }
    return matchesObject(sub as EventPattern, value === ABSENT ? undefined : value);
  });
}

/** Whether EventBridge would deliver `event` to a rule with `pattern`. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  validatePattern(pattern);
  return matchesObject(pattern, event);
}
