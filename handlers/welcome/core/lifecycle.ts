/**
 * Suspend and reinstate, and end dates: what the function does for one
 * managed person, from IAM's tags alone. Pure; the AWS calls are in
 * handlers/welcome/suspension.ts.
 *
 * The stack says what should be: the `suspended` tag (the roster's field, or
 * an end date passed at synthesis) and the `access-until` day. The function
 * records what it did: `iam-onboarding:suspended-at` when it turned sign-in
 * and keys off, `iam-onboarding:reinstated-at` when it issued the fresh
 * password after the suspension was lifted. The later of the two is the
 * person's state, so every decision is idempotent: an event delivered twice,
 * or the hourly reconcile run after the event, finds the work done.
 *
 * An end date is read in UTC: `access-until = 2027-03-31` means access
 * through the whole of that day; from 2027-04-01T00:00Z the person is
 * suspended. The admins are warned once per end date, from
 * END_WARNING_DAYS days before it.
 */
import {
  ACCESS_UNTIL_TAG_KEY,
  END_WARNED_TAG_KEY,
  END_WARNING_DAYS,
  REINSTATED_AT_TAG_KEY,
  SUSPENDED_AT_TAG_KEY,
  SUSPENDED_TAG_KEY,
} from '../../../shared/contract';

/** An IAM tag as the SDK gives it (core/policy.ts has the same shape; it imports this file). */
interface IamTag {
  readonly Key?: string;
  readonly Value?: string;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type LifecycleDecision =
  /** Turn sign-in and access keys off: the roster suspends the person, or their last day has passed. */
  | {
      readonly kind: 'suspend';
      readonly because: 'suspended' | 'access-ended';
      readonly until?: string;
    }
  /** The suspension was lifted after the function applied it: issue a fresh password. */
  | { readonly kind: 'reinstate' }
  /** The last day is near and the admins were not told of it yet. */
  | { readonly kind: 'warn-end'; readonly until: string; readonly daysLeft: number }
  | { readonly kind: 'none'; readonly detail: string };

function tagValue(tags: readonly IamTag[], key: string): string | undefined {
  return tags.find((t) => t.Key === key)?.Value;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The person's last day, when the tag holds a day; anything else is no end date. */
export function accessUntilOf(tags: readonly IamTag[]): string | undefined {
  const v = tagValue(tags, ACCESS_UNTIL_TAG_KEY);
  return v !== undefined && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
    ? v
    : undefined;
}

/** Whether the function's own record says sign-in is off: suspended-at later than any reinstated-at. */
export function suspensionApplied(tags: readonly IamTag[]): boolean {
  const at = tagValue(tags, SUSPENDED_AT_TAG_KEY);
  if (at === undefined) return false;
  const back = tagValue(tags, REINSTATED_AT_TAG_KEY);
  return back === undefined || Date.parse(at) > Date.parse(back);
}

/**
 * What to do for a managed person now. `nowMs` decides the end date (UTC);
 * `warnings` is false where the caller is an event rather than the daily
 * run (a TagUser answers what changed, the reconcile run warns).
 */
export function decideLifecycle(
  tags: readonly IamTag[],
  nowMs: number,
  options: { readonly warnings?: boolean } = {},
): LifecycleDecision {
  const today = dayOf(nowMs);
  const until = accessUntilOf(tags);
  const ended = until !== undefined && until < today;
  const flagged = tagValue(tags, SUSPENDED_TAG_KEY) === 'true';
  const applied = suspensionApplied(tags);
  if (flagged || ended) {
    if (applied) return { kind: 'none', detail: 'already suspended: sign-in and keys are off' };
    return flagged && !ended
      ? { kind: 'suspend', because: 'suspended' }
      : { kind: 'suspend', because: 'access-ended', until: until! };
  }
  if (applied) return { kind: 'reinstate' };
  if (options.warnings !== false && until !== undefined) {
    const daysLeft = Math.round(
      (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS,
    );
    if (daysLeft <= END_WARNING_DAYS && tagValue(tags, END_WARNED_TAG_KEY) !== until)
      return { kind: 'warn-end', until, daysLeft };
  }
  return { kind: 'none', detail: until === undefined ? 'no end date' : `access until ${until}` };
}
