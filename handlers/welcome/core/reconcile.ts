/**
 * The reconcile run's decision, user by user: who under the managed path was
 * never welcomed. Pure; the AWS calls are in aws/users.ts.
 *
 * A user who has signed in with a password was welcomed (by this version or
 * an earlier one); their tags are still read, for a resend the roster asked
 * for and whose TagUser event never arrived (core/resend.ts decides).
 */
import {
  EMAIL_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  SUSPENDED_TAG_KEY,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import { checkManagedByTag, checkManagedPath } from '../../../shared/rules';
import { GRACE_PERIOD_MS } from './consistency';
import { accessUntilOf, dayOf } from './lifecycle';
import type { IamTag } from './policy';
import { judgeResendAuthority, judgeResendRequest, lastSentTo } from './resend';

/** What ListUsers says of a user. */
export interface ListedUser {
  readonly userName: string;
  readonly userId: string;
  readonly path: string;
  /** When the user last signed in with a password; absent if never. */
  readonly passwordLastUsed?: Date;
  /** When the user was created. */
  readonly createdAt?: Date;
}

export type ReconcileState =
  | 'recent'
  | 'signed-in'
  | 'welcomed'
  | 'not-managed'
  | 'needs-welcome'
  | 'gone'
  /** Welcomed, and the resend tag is above the value served: its event was missed. */
  | 'needs-resend'
  /**
   * As needs-resend, but nobody can say who raised it (the reconcile sees no
   * caller), and serving it would send to an address other than the last
   * email's, or replace a password in use: left to the deploy role's TagUser.
   */
  | 'resend-held'
  /**
   * Tagged suspended, or past the `access-until` day: never welcomed or
   * resent (the lifecycle pass of the same run turns access off).
   */
  | 'suspended';

/**
 * Created within the grace period: its CreateUser event is most likely still
 * on its way or being handled, so the reconcile leaves it to that event
 * (a welcome queued now would only race it). The next run looks again.
 */
function isRecent(user: ListedUser, nowMs: number): boolean {
  return user.createdAt !== undefined && nowMs - user.createdAt.getTime() < GRACE_PERIOD_MS;
}

/** Whether the user's tags must be read to decide. */
export function needsTags(user: ListedUser, nowMs: number): boolean {
  return checkManagedPath(user.path).ok && !isRecent(user, nowMs);
}

/**
 * The user's state; `tags` undefined means the user no longer exists (it was
 * deleted between the listing and the tag read).
 */
export function reconcileState(
  user: ListedUser,
  tags: readonly IamTag[] | undefined,
  nowMs: number,
): ReconcileState {
  if (!checkManagedPath(user.path).ok) return 'not-managed';
  if (isRecent(user, nowMs)) return 'recent';
  if (tags === undefined) return 'gone';
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
  if (!checkManagedByTag(tag(MANAGED_BY_TAG_KEY)).ok) return 'not-managed';
  const until = accessUntilOf(tags);
  if (tag(SUSPENDED_TAG_KEY) === 'true' || (until !== undefined && until < dayOf(nowMs)))
    return 'suspended';
  const signedIn = user.passwordLastUsed !== undefined;
  if (judgeResendRequest(tags, signedIn).kind === 'due') {
    // The same rule as a TagUser from anyone but the deploy role
    // (core/resend.ts judgeResendAuthority), or the reconcile would be the
    // way around it. ListUsers gives no profile date: any sign-in counts.
    const sentTo = lastSentTo(tags);
    const authority = judgeResendAuthority({
      byDeployRole: false,
      to: tag(EMAIL_TAG_KEY) ?? '',
      ...(sentTo === undefined ? {} : { lastSentTo: sentTo }),
      replacesPasswordInUse: signedIn,
      afterSignInAsked: false,
    });
    return authority.kind === 'serve' ? 'needs-resend' : 'resend-held';
  }
  if (signedIn) return 'signed-in';
  return tag(WELCOMED_TAG_KEY) === undefined ? 'needs-welcome' : 'welcomed';
}

export interface ReconcileReport {
  readonly counts: Readonly<Record<ReconcileState, number>>;
  /** Users to queue a welcome for, in listing order. */
  readonly toWelcome: readonly ListedUser[];
  /** Users to queue a resend for, in listing order. */
  readonly toResend: readonly ListedUser[];
}

export function summarise(
  states: readonly { readonly user: ListedUser; readonly state: ReconcileState }[],
): ReconcileReport {
  const counts: Record<ReconcileState, number> = {
    recent: 0,
    'signed-in': 0,
    welcomed: 0,
    'not-managed': 0,
    'needs-welcome': 0,
    gone: 0,
    'needs-resend': 0,
    'resend-held': 0,
    suspended: 0,
  };
  for (const { state } of states) counts[state] += 1;
  return {
    counts,
    toWelcome: states.filter((s) => s.state === 'needs-welcome').map((s) => s.user),
    toResend: states.filter((s) => s.state === 'needs-resend').map((s) => s.user),
  };
}
