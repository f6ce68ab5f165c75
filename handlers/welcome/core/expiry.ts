/**
 * The expiry run's decision, user by user: whether a login profile is a
 * temporary password nobody used within the configured days. Pure; the AWS
 * calls are in handlers/welcome/expiry.ts.
 *
 * "Used" is judged against the profile, not the user: IAM keeps a user's
 * PasswordLastUsed after the profile is deleted (it is the last use of any
 * password the user had), so a person who signed in once and was sent a new
 * password by a resend still has a PasswordLastUsed, older than the new
 * profile. Only a sign-in at or after the profile's CreateDate counts.
 */
import {
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
  MANAGED_USER_PATH,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import type { IamTag } from './policy';

export const DAY_MS = 86_400_000;

export interface ExpiryFacts {
  readonly path: string;
  readonly tags: readonly IamTag[];
  /** GetLoginProfile's answer: undefined when the user has no login profile. */
  readonly profile?: { readonly createdAt?: Date };
  /** GetUser's PasswordLastUsed (any password the user ever had). */
  readonly passwordLastUsed?: Date;
  readonly nowMs: number;
  readonly unusedPasswordDays: number;
}

export type KeepReason =
  /** Not under the managed path, or without the managed-by tag. */
  | 'not-managed'
  /** No login profile: nothing to expire (already expired, or never given). */
  | 'no-profile'
  /** The profile is younger than the limit (a welcome or a resend in progress included). */
  | 'young'
  /** The person signed in with this profile's password. */
  | 'used'
  /** No welcomed tag: no email went out, so the welcome flow owns the profile. */
  | 'not-welcomed';

export type ExpiryDecision =
  | { readonly kind: 'expire'; readonly ageDays: number }
  | { readonly kind: 'keep'; readonly reason: KeepReason; readonly detail: string };

const keep = (reason: KeepReason, detail: string): ExpiryDecision => ({
  kind: 'keep',
  reason,
  detail,
});

/**
 * Whether a user created at `createdAt` can have a profile old enough: a
 * profile is never older than its user, so younger users need no IAM call.
 * Without a creation date, the profile must be read.
 */
export function mayHaveExpiredProfile(
  createdAt: Date | undefined,
  nowMs: number,
  unusedPasswordDays: number,
): boolean {
  return createdAt === undefined || nowMs - createdAt.getTime() >= unusedPasswordDays * DAY_MS;
}

/**
 * The profile's own verdict, before the tags are read: `unused` means old
 * enough and not signed in with since it was created.
 */
export function judgeProfile(
  facts: Pick<ExpiryFacts, 'profile' | 'passwordLastUsed' | 'nowMs' | 'unusedPasswordDays'>,
): ExpiryDecision {
  const { profile, passwordLastUsed, nowMs, unusedPasswordDays } = facts;
  if (profile === undefined) return keep('no-profile', 'GetLoginProfile: NoSuchEntity');
  // IAM always returns one; without it nothing proves the password is old.
  if (profile.createdAt === undefined) return keep('young', 'the login profile has no CreateDate');
  const createdMs = profile.createdAt.getTime();
  const ageMs = nowMs - createdMs;
  if (ageMs < unusedPasswordDays * DAY_MS) {
    return keep('young', `the login profile is ${Math.floor(ageMs / DAY_MS)} days old`);
  }
  if (passwordLastUsed !== undefined && passwordLastUsed.getTime() >= createdMs) {
    return keep('used', 'the person signed in with this password');
  }
  return { kind: 'expire', ageDays: Math.floor(ageMs / DAY_MS) };
}

/** The whole decision, on facts read just before acting. */
export function decideExpiry(facts: ExpiryFacts): ExpiryDecision {
  const tag = (key: string) => facts.tags.find((t) => t.Key === key)?.Value;
  if (facts.path !== MANAGED_USER_PATH) return keep('not-managed', `path is ${facts.path}`);
  if (tag(MANAGED_BY_TAG_KEY) !== MANAGED_BY_TAG_VALUE) {
    return keep('not-managed', `tag ${MANAGED_BY_TAG_KEY} is not ${MANAGED_BY_TAG_VALUE}`);
  }
  const verdict = judgeProfile(facts);
  if (verdict.kind === 'keep') return verdict;
  // Checked after the profile: a profile without the tag is the welcome
  // flow's (in flight, or orphaned and replaced by the next reconcile).
  if (tag(WELCOMED_TAG_KEY) === undefined) {
    return keep('not-welcomed', `no ${WELCOMED_TAG_KEY} tag: the welcome flow owns this profile`);
  }
  return verdict;
}

// Read with the rest of the function's settings; kept importable from here.
export { readUnusedPasswordDays } from './config';
