/**
 * Suspend, reinstate and end dates wired to a run (lifecycle-run.ts does the
 * work for one person): the `suspended` tag's TagUser/UntagUser events
 * (runLifecycleEvent), the reconcile run's pass over every managed person
 * (reconcile.ts, with the end-date warnings), and the issuing path a
 * reinstatement takes (reinstatePassword: the resend path's issuePassword).
 *
 * Only users under the managed path with the managed-by tag are touched, as
 * everywhere else; the decision is made from IAM's tags, never the event.
 */
import { MANAGED_BY_TAG_KEY, SENT_TO_TAG_KEY, WELCOMED_TAG_KEY } from '../../shared/contract';
import { checkManagedByTag, checkManagedPath } from '../../shared/rules';
import { getLoginProfile, getUser, listUserTags } from './aws/iam';
import { IN_FLIGHT_WINDOW_MS } from './core/consistency';
import { decide, type IamTag, welcomedAt } from './core/policy';
import type { SuspensionChange } from './core/request';
import { lastSentTo } from './core/resend';
import {
  deferred,
  holdIfSuppressed,
  issuePassword,
  recipientFor,
  step,
  type UserRun,
} from './flow';
import { type LifecycleDeps, type LifecycleOutcome, runLifecycle } from './lifecycle-run';
import type { EventLog } from './log';
import type { RunContext } from './run-context';

/**
 * What a run needs for runLifecycle: the clock read once, the admins, the
 * reinstating path. `fromReconcile`: the hourly run, which tries a held
 * reinstatement again and so must not repeat its notice every hour.
 */
export function lifecycleDeps(
  run: RunContext,
  log: EventLog,
  eventId: string,
  fromReconcile = false,
): LifecycleDeps {
  return {
    iam: run.deps.iam,
    notify: run.notifyAdmins,
    nowMs: run.deps.now(),
    reinstate: (userName) => reinstatePassword(run, { userName, eventId, log }, fromReconcile),
  };
}

/**
 * Whether the function may act on the person at all: the managed path and
 * the managed-by tag (an address is not needed to turn access off).
 */
export function isManagedUser(path: string, tags: readonly IamTag[]): boolean {
  const managedBy = tags.find((t) => t.Key === MANAGED_BY_TAG_KEY)?.Value;
  return checkManagedPath(path).ok && checkManagedByTag(managedBy).ok;
}

/**
 * A fresh temporary password for a person whose suspension was lifted,
 * through the resend path's issuing (flow.ts issuePassword, with the resend
 * wording when they had been welcomed before): the same gate as every
 * welcome (decide: managed, an address, not suspended, access not ended).
 *
 * The suspension deleted the login profile before it was recorded, so a
 * profile found now was made since: one younger than the in-flight window
 * may still be sending (the record fails and is tried again); an older one
 * means the person has a console password already (an earlier reinstatement
 * whose record was not written, or an admin's), which is left alone.
 */
export async function reinstatePassword(
  run: RunContext,
  who: { userName: string; eventId: string; log: EventLog },
  fromReconcile = false,
): Promise<{ sent: boolean; detail?: string }> {
  const { deps } = run;
  const { userName } = who;
  const r: UserRun = { ...run, ...who, inGrace: () => false };
  const user = await step(r, 'get-user', () => getUser(deps.iam, userName));
  if (!user) return { sent: false, detail: 'the user no longer exists (GetUser: NoSuchEntity)' };
  const tags = await step(r, 'list-user-tags', () => listUserTags(deps.iam, userName));
  if (!tags)
    return { sent: false, detail: 'the user no longer exists (ListUserTags: NoSuchEntity)' };
  const decision = decide(undefined, { ...user, tags }, deps.now());
  if (decision.kind === 'skip')
    return { sent: false, detail: `no password issued: ${decision.reason}: ${decision.detail}` };

  const profile = await step(r, 'get-login-profile', () => getLoginProfile(deps.iam, userName));
  if (profile) {
    const ageMs = deps.now() - (profile.createDate?.getTime() ?? 0);
    if (ageMs < IN_FLIGHT_WINDOW_MS)
      throw deferred(
        r,
        'check-existing-profile',
        'ReinstateInFlight',
        `a login profile ${Math.round(ageMs / 1000)} s old: another delivery may still be sending the reinstated password; the next delivery looks again`,
      );
    return {
      sent: true,
      detail: 'a console password made since the suspension exists already; none was sent',
    };
  }

  // As every issuing: SES would accept the email and drop it. Not recorded as
  // reinstated, so the reconcile tries again once the suppression is lifted.
  const held = await holdIfSuppressed(r, {
    address: decision.email,
    onceLifted: 'reconcile',
    ...(fromReconcile ? { requested: 'reconcile' as const } : {}),
  });
  if (held) return { sent: false, detail: held.detail };

  const before = welcomedAt(tags) !== undefined || lastSentTo(tags) !== undefined;
  const recipient = await recipientFor(r, {
    email: decision.email,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    ...(decision.channel === undefined ? {} : { channel: decision.channel }),
  });
  const issued = await issuePassword(r, {
    recipient,
    replacesEarlier: before,
    ...(before ? { resend: true as const } : {}),
    // The welcomed and sent-to tags, as a welcome or resend writes them (one
    // TagUser, within MarkManagedUsersWelcomed); reinstated-at is written by
    // runLifecycle afterwards, in its own call (another statement's keys).
    record: () => ({
      what: 'resent',
      tags: [
        { key: SENT_TO_TAG_KEY, value: decision.email },
        ...(welcomedAt(tags) === undefined
          ? [{ key: WELCOMED_TAG_KEY, value: new Date(deps.now()).toISOString() }]
          : []),
      ],
      logged: { reinstated: true },
    }),
  });
  if (issued === 'no-such-user')
    return { sent: false, detail: 'the user no longer exists (CreateLoginProfile: NoSuchEntity)' };
  if (issued === 'already-exists')
    throw deferred(
      r,
      'create-login-profile',
      'ProfileInFlight',
      'another delivery created a login profile for this reinstatement; the next delivery looks again',
    );
  return { sent: true };
}

export type LifecycleEventResult = {
  readonly outcome: 'lifecycle';
  readonly lifecycle: LifecycleOutcome | 'not-managed';
  readonly detail: string;
};

/**
 * A deploy set (TagUser) or removed (UntagUser) the `suspended` tag:
 * suspend or reinstate now, from IAM's tags. No end-date warning here: that
 * is the reconcile run's, once per date.
 */
export async function runLifecycleEvent(
  run: RunContext,
  event: SuspensionChange,
  log: EventLog,
): Promise<LifecycleEventResult> {
  const { deps } = run;
  const r: UserRun = {
    ...run,
    userName: event.userName,
    eventId: event.eventId,
    log,
    inGrace: () => false,
  };
  const user = await step(r, 'get-user', () => getUser(deps.iam, event.userName));
  const tags = user
    ? await step(r, 'list-user-tags', () => listUserTags(deps.iam, event.userName))
    : undefined;
  const outcome = 'lifecycle';
  if (!user || !tags) return { outcome, lifecycle: 'gone', detail: 'the user no longer exists' };
  if (!isManagedUser(user.path, tags))
    return {
      outcome,
      lifecycle: 'not-managed',
      detail: 'not under the managed path with the managed-by tag: left alone',
    };
  const result = await step(r, 'lifecycle', () =>
    runLifecycle(lifecycleDeps(run, log, event.eventId), event.userName, tags, {
      warnings: false,
    }),
  );
  return { outcome, lifecycle: result.outcome, detail: result.detail };
}
