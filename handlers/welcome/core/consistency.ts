/**
 * Time rules for reading IAM right after a change
 * (docs/design.md, "IAM is eventually consistent") and for telling apart the states a login profile
 * can be found in. Pure: times come in as numbers (epoch milliseconds).
 */

/**
 * How long after CreateUser (CloudTrail's `detail.eventTime`) a user, its tags
 * or its login profile that IAM does not show is taken as "not visible yet"
 * rather than "deleted" (or "not ours"). Inside it the record fails and SQS
 * delivers it again; only after it is the user skipped as gone.
 *
 * 15 minutes: SQS redelivers a failed record after the queue's visibility
 * timeout (about 6 minutes, six times the 60-second function timeout), so
 * the 2nd and 3rd receives (about 6 and 12 minutes on) still fall inside it,
 * and the 4th (about 18 minutes) is past it and turns a user that really was
 * deleted into a logged skip before the 5th receive would dead-letter it.
 * IAM itself catches up within seconds, so this is generous on purpose: it
 * also absorbs a CloudTrail-to-EventBridge delivery of a few minutes.
 */
export const GRACE_PERIOD_MS = 15 * 60_000;

/**
 * A login profile younger than this, on a user without the welcomed tag, may
 * belong to a run that is still sending (the function times out after 60 s;
 * the rest is margin for IAM to show the tag that run writes). Such a record
 * fails and is retried later. It must stay below the visibility timeout, so
 * that the next receive finds the profile older than this.
 */
export const IN_FLIGHT_WINDOW_MS = 5 * 60_000;

/**
 * Whether `nowMs` is still inside the grace period of an event. An event
 * without a usable time counts as old: IAM's answer is then taken as final,
 * as it was before the grace period existed.
 */
export function withinGrace(eventTimeMs: number | undefined, nowMs: number): boolean {
  return eventTimeMs !== undefined && nowMs - eventTimeMs < GRACE_PERIOD_MS;
}

export interface ExistingProfileFacts {
  /** Value of the welcomed tag, when the user has it. */
  welcomedAt?: string;
  /** GetUser's PasswordLastUsed: set once the person has signed in with a password. */
  passwordLastUsed?: Date;
  /** GetLoginProfile's CreateDate, in epoch ms. */
  profileCreatedMs?: number;
  nowMs: number;
}

/**
 * What a login profile found by CreateLoginProfile ("EntityAlreadyExists")
 * means:
 * - `welcomed`: the welcomed tag is there; nothing to do.
 * - `signed-in`: no tag, but the person has signed in, so an email reached
 *   them (sent by a version without the tag, or a run whose tagging failed).
 * - `in-flight`: no tag, never used, and young: another run may still be
 *   between CreateLoginProfile and tagging; try again later.
 * - `orphaned`: no tag, never used, and old: the run that created it died or
 *   failed to roll back, so nobody may have the password; replace it.
 */
export type ExistingProfileVerdict =
  | { kind: 'welcomed' }
  | { kind: 'signed-in' }
  | { kind: 'in-flight'; ageMs: number }
  | { kind: 'orphaned'; ageMs: number };

export function judgeExistingProfile(facts: ExistingProfileFacts): ExistingProfileVerdict {
  if (facts.welcomedAt !== undefined) return { kind: 'welcomed' };
  if (facts.passwordLastUsed !== undefined) return { kind: 'signed-in' };
  // Without a creation date (IAM always returns one) nothing proves the profile
  // is abandoned: waiting is the choice that cannot cost anyone a password.
  if (facts.profileCreatedMs === undefined) return { kind: 'in-flight', ageMs: 0 };
  const ageMs = facts.nowMs - facts.profileCreatedMs;
  return ageMs < IN_FLIGHT_WINDOW_MS ? { kind: 'in-flight', ageMs } : { kind: 'orphaned', ageMs };
}
