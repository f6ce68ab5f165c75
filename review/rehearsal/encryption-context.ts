/**
 * KMS encryption-context conditions, decided before the evaluator sees the
 * policy. iam-simulate (0.1.173) accepts request context keys with a variable
 * part only after a "/" (`aws:PrincipalTag/team`), so it drops every
 * `kms:EncryptionContext:<key>` value and would call each such condition
 * unmet. Here each `StringEquals` / `StringLike` condition on such a key is
 * checked against the hop's context, then removed when it holds, or replaced
 * by one that cannot hold when it does not, so the evaluator still decides
 * everything else (principal, action, resource, other conditions).
 */
import type { PolicyDocument } from './resolve';

const CONTEXT_KEY = /^kms:encryptioncontext:/i;
/** Stands in for a condition that did not hold: no request carries it. */
export const UNMET_ENCRYPTION_CONTEXT = {
  StringEquals: { 'kms:EncryptionContextKeys': 'encryption-context-did-not-match' },
} as const;

type Values = string | readonly string[];
type ConditionBlock = Record<string, Record<string, Values>>;

/** IAM's `*` and `?` wildcards, case-sensitive like StringLike. */
function like(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

function contextValue(
  context: Readonly<Record<string, Values>>,
  key: string,
): string[] | undefined {
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : [found[1]].flat();
}

/** Whether one condition on an encryption-context key holds; undefined when this cannot decide it. */
function holds(
  operator: string,
  expected: Values,
  actual: string[] | undefined,
): boolean | undefined {
  if (operator !== 'StringEquals' && operator !== 'StringLike') return undefined;
  if (actual === undefined) return false;
  const wanted = [expected].flat();
  return actual.some((a) =>
    wanted.some((w) => (operator === 'StringEquals' ? w === a : like(w, a))),
  );
}

/** The policy with its decidable encryption-context conditions decided for `context`. */
export function decideEncryptionContext(
  document: PolicyDocument,
  context: Readonly<Record<string, Values>>,
): PolicyDocument {
  const raw = document.Statement;
  if (raw === undefined) return document;
  const statements = (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[];
  const decided = statements.map((statement) => {
    const condition = statement.Condition as ConditionBlock | undefined;
    if (!condition) return statement;
    let unmet = false;
    const rest: ConditionBlock = {};
    for (const [operator, block] of Object.entries(condition)) {
      const kept: Record<string, Values> = {};
      for (const [key, expected] of Object.entries(block)) {
        const verdict = CONTEXT_KEY.test(key)
          ? holds(operator, expected, contextValue(context, key))
          : undefined;
        if (verdict === undefined) kept[key] = expected;
        else if (!verdict) unmet = true;
      }
      if (Object.keys(kept).length > 0) rest[operator] = kept;
    }
    if (unmet) return { ...statement, Condition: UNMET_ENCRYPTION_CONTEXT };
    const { Condition: _dropped, ...withoutCondition } = statement;
    return Object.keys(rest).length > 0 ? { ...statement, Condition: rest } : withoutCondition;
  });
  return { ...document, Statement: decided };
}
