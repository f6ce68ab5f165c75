/**
 * The reconcile run's AWS side: list the users under the managed path, read
 * the tags of those who never signed in, and queue a welcome for each one not
 * yet welcomed. Shared by the function's scheduled run and the operator tool
 * (scripts/reconcile.ts).
 */
import { type IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  MANAGED_USER_PATH,
  resendRequest,
  welcomeRequest,
  type WelcomeRequestReason,
} from '../../../shared/contract';
import {
  type ListedUser,
  needsTags,
  type ReconcileReport,
  reconcileState,
  type ReconcileState,
  summarise,
} from '../core/reconcile';
import type { IamTag } from '../core/policy';
import { listUserTags } from './iam';
import { queueRequest } from './queue';

/** One listed user, its state, and the tags read to decide it (none when not read, or gone). */
export interface ReconciledUser {
  readonly user: ListedUser;
  readonly state: ReconcileState;
  readonly tags?: readonly IamTag[];
}

/** Every user whose path is the managed path (following pagination). */
export async function listManagedUsers(iam: IAMClient): Promise<ListedUser[]> {
  const users: ListedUser[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListUsersCommand({
        PathPrefix: MANAGED_USER_PATH,
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    for (const u of page.Users ?? []) {
      if (!u.UserName || !u.UserId) continue;
      users.push({
        userName: u.UserName,
        userId: u.UserId,
        path: u.Path ?? '',
        ...(u.PasswordLastUsed ? { passwordLastUsed: u.PasswordLastUsed } : {}),
        ...(u.CreateDate ? { createdAt: u.CreateDate } : {}),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return users;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Each managed user's state. Every managed user's tags are read (one
 * ListUserTags each, signed in or not: a missed resend is only visible
 * there). Tag reads run a few at a time: IAM's control
 * plane throttles bursts, and a large roster must not make the run fail.
 */
export async function reconcileUsers(
  iam: IAMClient,
  options: { concurrency?: number; nowMs?: number } = {},
): Promise<{ report: ReconcileReport; states: ReconciledUser[] }> {
  const nowMs = options.nowMs ?? Date.now();
  const users = await listManagedUsers(iam);
  const states = await mapLimited(users, options.concurrency ?? 4, async (user) => {
    const tags = needsTags(user, nowMs) ? await listUserTags(iam, user.userName) : [];
    return { user, state: reconcileState(user, tags, nowMs), ...(tags ? { tags } : {}) };
  });
  return { report: summarise(states), states };
}

/** Queues a welcome for one user into the welcome queue. */
export function queueWelcome(
  sqs: SQSClient,
  queueUrl: string,
  user: { readonly userName: string; readonly userId: string },
  reason: WelcomeRequestReason,
): Promise<void> {
  return queueRequest(sqs, queueUrl, welcomeRequest(user, reason));
}

/** Queues a resend check for one user into the welcome queue. */
export function queueResend(
  sqs: SQSClient,
  queueUrl: string,
  user: { readonly userName: string; readonly userId: string },
  reason: WelcomeRequestReason,
): Promise<void> {
  return queueRequest(sqs, queueUrl, resendRequest(user, reason));
}
