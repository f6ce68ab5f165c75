/**
 * The expiry request (from the daily schedule): list the managed users, and
 * for each whose temporary password was never used within the configured
 * days, delete the login profile, mark the user and tell the admins. The
 * welcomed tag stays, so neither the reconcile run nor a replayed CreateUser
 * event welcomes the person again; a resend from the roster does.
 *
 * Safe to repeat: an expired user has no profile left, so a second run (a
 * redelivery, a continuation, the next day) finds nothing to do for them and
 * sends no second notice. A run short of time queues its own continuation.
 */
import { expireRequest, EXPIRED_TAG_KEY, MANAGED_USER_PATH } from '../../shared/contract';
import { isTemporarilyUnmodifiable, isThrottlingError } from './aws/faults';
import { deleteLoginProfile, getLoginProfile, getUser, listUserTags } from './aws/iam';
import { queueRequest } from './aws/queue';
import { listManagedUsers } from './aws/users';
import { describeError, errorName, RecordError } from './core/errors';
import {
  decideExpiry,
  judgeProfile,
  type KeepReason,
  mayHaveExpiredProfile,
  readUnusedPasswordDays,
} from './core/expiry';
import type { ListedUser } from './core/reconcile';
import { withRetries } from './core/retry';
import { DELETE_RETRY, writeTags } from './flow';
import { DEFAULT_RETRY, remainingMs, type RunContext } from './run-context';
import type { EventLog } from './log';

/**
 * A user is not started with less time left than this: up to four IAM reads
 * (each with the SDK's own retries), the delete with its in-process retries
 * (~3.75 s, DELETE_RETRY), the tag, the notice, and the continuation's send.
 */
export const EXPIRY_USER_MIN_MS = 15_000;

export type UserExpiryOutcome = 'expired' | KeepReason | 'gone';

export type ExpiryRunResult =
  | { readonly outcome: 'skipped'; readonly reason: 'expiry-off'; readonly detail: string }
  | {
      readonly outcome: 'expiry-done' | 'expiry-continued';
      readonly counts: Readonly<Partial<Record<UserExpiryOutcome, number>>>;
      /** The last user this run looked at, when it queued its continuation. */
      readonly continuesAfter?: string;
    };

function failure(errorNameValue: string, action?: string, deferred = false): RecordError {
  return new RecordError({
    step: 'expire',
    errorName: errorNameValue,
    ...(action === undefined ? {} : { action }),
    ...(deferred ? { deferred } : {}),
  });
}

export async function runExpiry(
  run: RunContext,
  request: { readonly startAfter?: string },
  log: EventLog,
): Promise<ExpiryRunResult> {
  const { deps, context } = run;
  let days: number | undefined;
  try {
    days = readUnusedPasswordDays(deps.env());
  } catch (error) {
    throw failure(errorName(error), error instanceof Error ? error.message : undefined);
  }
  if (days === undefined) {
    const detail = 'UNUSED_PASSWORD_DAYS is not set: expiry is turned off in the settings';
    return { outcome: 'skipped', reason: 'expiry-off', detail };
  }

  let users: ListedUser[];
  try {
    users = await listManagedUsers(deps.iam);
  } catch (error) {
    log.error('step failed', { step: 'expire', outcome: 'error', error: describeError(error) });
    throw failure(errorName(error));
  }
  const resumeAt = request.startAfter
    ? users.findIndex((u) => u.userName === request.startAfter) + 1
    : 0;
  log.info('step done', { step: 'expire', outcome: 'listed', users: users.length, resumeAt });

  const counts: Partial<Record<UserExpiryOutcome, number>> = {};
  const count = (o: UserExpiryOutcome) => (counts[o] = (counts[o] ?? 0) + 1);
  const failed: string[] = [];
  let continuesAfter: string | undefined;
  for (let i = resumeAt; i < users.length; i++) {
    const user = users[i];
    // Decided from the listing alone: no IAM call, no time needed.
    if (user.path !== MANAGED_USER_PATH) {
      count('not-managed');
      continue;
    }
    if (!mayHaveExpiredProfile(user.createdAt, deps.now(), days)) {
      count('young');
      continue;
    }
    if (remainingMs(context) < EXPIRY_USER_MIN_MS) {
      continuesAfter = await continueLater(run, log, users, i, resumeAt);
      break;
    }
    try {
      count(await expireUser(run, user, days, log));
    } catch (error) {
      failed.push(errorName(error));
      log.error('step failed', {
        step: 'expire',
        outcome: 'error',
        userName: user.userName,
        error: describeError(error),
      });
    }
  }
  log.info('step done', { step: 'expire', outcome: 'counted', ...counts, failed: failed.length });
  if (failed.length > 0) {
    // The record fails and SQS delivers it again: the repeat retries these
    // users and passes over the ones already expired.
    throw failure(
      failed[0],
      `${failed.length} user(s) could not be checked or expired; the next delivery tries again`,
    );
  }
  return continuesAfter === undefined
    ? { outcome: 'expiry-done', counts }
    : { outcome: 'expiry-continued', counts, continuesAfter };
}

/**
 * Queues the rest of the run as a new request, after the last user looked at.
 * Without a queue URL, or before any user was looked at (the next run would
 * start from the same place), the record is deferred instead.
 */
async function continueLater(
  run: RunContext,
  log: EventLog,
  users: readonly ListedUser[],
  next: number,
  resumeAt: number,
): Promise<string> {
  const queueUrl = run.config.welcomeQueueUrl;
  if (!queueUrl || next === resumeAt) {
    throw failure(
      'NoTimeLeft',
      'too little time left in this invocation to check the next user; the next delivery runs the expiry again',
      true,
    );
  }
  const after = users[next - 1].userName;
  await queueRequest(run.deps.sqs, queueUrl, expireRequest(after));
  log.warn('step deferred', {
    step: 'expire',
    outcome: 'continued',
    continuesAfter: after,
    usersLeft: users.length - next,
  });
  return after;
}

/** One user: cheapest reads first, fresh facts just before the delete. */
async function expireUser(
  run: RunContext,
  user: ListedUser,
  days: number,
  log: EventLog,
): Promise<UserExpiryOutcome> {
  const { deps } = run;
  const name = user.userName;
  const found = await getLoginProfile(deps.iam, name);
  const profile = found && (found.createDate ? { createdAt: found.createDate } : {});
  const early = judgeProfile({
    ...(profile ? { profile } : {}),
    ...(user.passwordLastUsed ? { passwordLastUsed: user.passwordLastUsed } : {}),
    nowMs: deps.now(),
    unusedPasswordDays: days,
  });
  if (early.kind === 'keep') return early.reason;

  // The listing may be minutes old by now: read what could have changed.
  const tags = await listUserTags(deps.iam, name);
  const fresh = await getUser(deps.iam, name);
  if (!tags || !fresh) return 'gone';
  const decision = decideExpiry({
    path: fresh.path,
    tags,
    ...(profile ? { profile } : {}),
    ...(fresh.passwordLastUsed ? { passwordLastUsed: fresh.passwordLastUsed } : {}),
    nowMs: deps.now(),
    unusedPasswordDays: days,
  });
  if (decision.kind === 'keep') {
    log.info('step done', { step: 'expire', outcome: decision.reason, userName: name });
    return decision.reason;
  }

  const deleted = await withRetries(() => deleteLoginProfile(deps.iam, name), {
    ...(deps.retry ?? DEFAULT_RETRY),
    ...DELETE_RETRY,
    sleep: deps.sleep,
    random: deps.random,
    remainingMs: () => remainingMs(run.context),
    isRetryable: (error) => isTemporarilyUnmodifiable(error) || isThrottlingError(error),
  });
  // Someone else removed it in between (another run): theirs to report.
  if (deleted === 'absent') return 'no-profile';
  const at = new Date(deps.now()).toISOString();
  log.info('step done', {
    step: 'expire',
    outcome: 'expired',
    userName: name,
    profileAgeDays: decision.ageDays,
    unusedPasswordDays: days,
  });
  // Like the welcomed tag: the profile is gone, so a repeat would not come back to tag it.
  await writeTags({ deps, log, userName: name }, 'expired', [{ key: EXPIRED_TAG_KEY, value: at }]);
  await run.notifyAdmins({
    kind: 'expired',
    userName: name,
    detail:
      `the temporary password was not used in ${decision.ageDays} days (limit ${days}): ` +
      'console access removed. Raise "resend" for this person in the roster to send a new one.',
  });
  return 'expired';
}
