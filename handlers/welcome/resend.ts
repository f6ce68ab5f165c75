/**
 * A resend: the roster raised a person's `resend` counter, the deploy changed
 * the user's resend tag, and the person gets a new temporary password and a
 * new email saying it replaces the earlier one. Each counter value is served
 * at most once, however often (and however concurrently) its event or a
 * queued request arrives; the rules are in core/resend.ts.
 *
 * Who asked decides what may be served (core/resend.ts judgeResendAuthority):
 * a new address, or a password in use, only for the deploy role's TagUser;
 * anything else is held before a profile is touched, and a held TagUser
 * tells the admins.
 *
 * Order: read (user, tags, profile), decide, judge the caller; ask SES's
 * suppression list about the address (a suppressed one: nothing touched,
 * the admins told, flow.ts holdIfSuppressed); delete the old profile; create the new one (IAM lets one run only); send; record the value
 * served and where it went; tell the old address if it moved. A send
 * that fails removes the new profile again, so the next delivery starts over
 * (the person then has no console password until it succeeds: the old one
 * was meant to stop working anyway).
 *
 * What is left open, as in the first welcome: two deliveries whose reads both
 * see the old profile, where one deletes the old profile and creates its own
 * between the other's read and delete, can both send (the second email
 * replaces the first, and says so). That needs two copies of one message in
 * flight within one IAM round trip of each other; SQS's duplicates and the
 * hourly reconcile are minutes apart.
 */
import { RESENT_TAG_KEY, SENT_TO_TAG_KEY } from '../../shared/contract';
import { getLoginProfile, getUser, listUserTags } from './aws/iam';
import { sendEmail } from './aws/ses';
import { renderAddressChangeEmail } from './core/address-change-message';
import { describeError } from './core/errors';
import { decide } from './core/policy';
import {
  asksAfterSignIn,
  isDeployRole,
  judgeResendAuthority,
  judgeResendProfile,
  judgeResendRequest,
  lastSentTo,
  type ResendAuthority,
} from './core/resend';
import type { ResendEvent } from './core/resend-event';
import {
  deferred,
  holdIfSuppressed,
  type UserRun,
  issuePassword,
  recipientFor,
  removeProfile,
  step,
  writeTags,
} from './flow';
import type { RunContext } from './run-context';
import type { EventLog } from './log';

export type ResendOutcome =
  | { outcome: 'resent'; resend: number; messageId?: string }
  | { outcome: 'skipped'; reason: string; detail: string };

const skip = (reason: string, detail: string): ResendOutcome => ({
  outcome: 'skipped',
  reason,
  detail,
});

export async function resendWelcome(
  run: RunContext,
  event: ResendEvent,
  log: EventLog,
): Promise<ResendOutcome> {
  const { deps } = run;
  // No grace period: the user is not new, so IAM's "no such user" is final.
  const r: UserRun = {
    ...run,
    userName: event.userName,
    eventId: event.eventId,
    log,
    inGrace: () => false,
  };
  const user = await step(r, 'get-user', () => getUser(deps.iam, event.userName));
  if (!user) return skip('user-deleted', 'GetUser: NoSuchEntity');
  const tags = await step(r, 'list-user-tags', () => listUserTags(deps.iam, event.userName));
  if (!tags) return skip('user-deleted', 'ListUserTags: NoSuchEntity');

  // The same gate as the first welcome: managed path, managed-by tag, an address.
  const decision = decide(event.userId, { ...user, tags }, deps.now());
  if (decision.kind === 'skip') return skip(decision.reason, decision.detail);

  const request = judgeResendRequest(tags, user.passwordLastUsed !== undefined);
  if (request.kind === 'skip') return skip(request.reason, request.detail);
  log.info('step done', {
    step: 'decide',
    outcome: 'resend-due',
    resend: request.requested,
    served: request.served,
  });

  const profile = await step(r, 'get-login-profile', () =>
    getLoginProfile(deps.iam, event.userName),
  );
  const verdict = judgeResendProfile({
    hasProfile: profile !== undefined,
    ...(profile?.createDate ? { profileCreatedMs: profile.createDate.getTime() } : {}),
    ...(event.eventTimeMs === undefined ? {} : { requestedAtMs: event.eventTimeMs }),
    ...(user.passwordLastUsed ? { passwordLastUsedMs: user.passwordLastUsed.getTime() } : {}),
    nowMs: deps.now(),
  });
  log.info('step done', { step: 'check-existing-profile', outcome: verdict.kind });

  // Only before a profile is replaced or created: a served or in-flight
  // request needs no say, and nothing is deleted before the caller is judged.
  const byDeployRole = isDeployRole(event.caller, run.config.deployRoleArn);
  const previous = lastSentTo(tags);
  let authority: ResendAuthority = { kind: 'serve' };
  if (verdict.kind !== 'in-flight' && verdict.kind !== 'served') {
    authority = judgeResendAuthority({
      byDeployRole,
      to: decision.email,
      ...(previous === undefined ? {} : { lastSentTo: previous }),
      replacesPasswordInUse:
        verdict.kind === 'replace' &&
        user.passwordLastUsed !== undefined &&
        profile?.createDate !== undefined &&
        user.passwordLastUsed.getTime() >= profile.createDate.getTime(),
      afterSignInAsked: asksAfterSignIn(tags),
    });
    log.info('step done', {
      step: 'judge-caller',
      outcome: authority.kind,
      byDeployRole,
      ...(event.caller === undefined ? {} : { caller: event.caller }),
      ...(authority.kind === 'hold' ? { reason: authority.reason } : {}),
    });
  }
  if (authority.kind === 'hold') {
    // A TagUser is told once, as it happens; a queued request (the hourly
    // reconcile) would tell the admins again every hour, so it is only logged.
    if (event.requested === undefined) {
      await run.notifyAdmins({
        kind: 'resend-held',
        userName: event.userName,
        address: decision.email,
        detail: `${authority.detail}. Asked by ${askedBy(event, byDeployRole)}.`,
      });
    }
    return skip(authority.reason, authority.detail);
  }

  switch (verdict.kind) {
    case 'in-flight':
      throw deferred(
        r,
        'check-existing-profile',
        'ResendInFlight',
        `a login profile ${Math.round(verdict.ageMs / 1000)} s old and no ${RESENT_TAG_KEY} ` +
          `tag of ${request.requested}: another delivery may still be sending; the next delivery looks again`,
      );
    case 'served':
      await markResent(r, request.requested);
      return skip(
        'resend-already-served',
        'the person signed in with a password created for this resend',
      );
    case 'replace':
    case 'orphaned':
    case 'create':
      break;
  }

  // Before the old profile is deleted: a suppressed address keeps the
  // person's current password (if any) and the request stays unserved.
  // Whether the reconcile serves it once lifted: its own rule for a
  // request nobody can attribute (core/reconcile.ts, which sees any sign-in).
  const reconcileServes =
    judgeResendAuthority({
      byDeployRole: false,
      to: decision.email,
      ...(previous === undefined ? {} : { lastSentTo: previous }),
      replacesPasswordInUse: user.passwordLastUsed !== undefined,
      afterSignInAsked: false,
    }).kind === 'serve';
  const held = await holdIfSuppressed(r, {
    address: decision.email,
    onceLifted: reconcileServes ? 'reconcile' : 'raise-resend',
    ...(event.requested === undefined ? {} : { requested: event.requested }),
  });
  if (held) return skip(held.reason, held.detail);
  if (verdict.kind === 'replace' || verdict.kind === 'orphaned') {
    await step(r, 'delete-login-profile', () => removeProfile(r, { replacing: 'resend' }));
  }

  const recipient = await recipientFor(r, {
    email: decision.email,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    ...(decision.channel === undefined ? {} : { channel: decision.channel }),
  });
  const issued = await issuePassword(r, {
    recipient,
    replacesEarlier: true,
    resend: true,
    record: () => markResentTags(request.requested, decision.email),
  });
  if (issued === 'no-such-user') return skip('user-deleted', 'CreateLoginProfile: NoSuchEntity');
  if (issued === 'already-exists') {
    // Another delivery created one since this one looked: it is theirs to send.
    throw deferred(
      r,
      'create-login-profile',
      'ProfileInFlight',
      'another delivery created a login profile for this resend; the next delivery looks again',
    );
  }
  const moved =
    authority.previousAddress === undefined
      ? undefined
      : await tellOldAddress(r, authority.previousAddress);
  await run.notifyAdmins({
    kind: 'resent',
    userName: event.userName,
    address: decision.email,
    detail: [
      `Asked by ${askedBy(event, byDeployRole)}.`,
      ...(authority.previousAddress === undefined
        ? []
        : [
            `The address changed: ${authority.previousAddress} -> ${decision.email}; ` +
              (moved === 'told'
                ? 'the old address was told.'
                : 'the old address could NOT be told (see the logs).'),
          ]),
    ].join(' '),
  });
  return { outcome: 'resent', resend: request.requested, ...issued };
}

/** Who asked, for the admins: the deploy role, another caller, or the run that queued it. */
function askedBy(event: ResendEvent, byDeployRole: boolean): string {
  if (byDeployRole) return 'the deploy role';
  if (event.requested !== undefined) return `the ${event.requested} run (no caller known)`;
  return event.caller === undefined
    ? 'a TagUser call whose caller CloudTrail does not name'
    : `${event.caller}, not the deploy role`;
}

/**
 * Tells the address the last email went to that the sign-in moved. Best
 * effort: the new password went out already, and failing the record would
 * make a later delivery replace it; the admins' notice says it failed.
 */
async function tellOldAddress(r: UserRun, oldAddress: string): Promise<'told' | 'failed'> {
  const { deps, config, userName, log } = r;
  try {
    await sendEmail(deps.ses, {
      source: config.source,
      to: oldAddress,
      message: renderAddressChangeEmail({
        userName,
        oldAddress,
        organisationName: config.organisationName,
        helpContact: config.helpContact,
      }),
      userName,
      ...(config.sesConfigurationSet ? { configurationSet: config.sesConfigurationSet } : {}),
    });
    log.info('step done', { step: 'tell-old-address', outcome: 'sent' });
    return 'told';
  } catch (error) {
    log.error('step failed', {
      step: 'tell-old-address',
      outcome: 'error',
      error: describeError(error),
    });
    return 'failed';
  }
}

/**
 * The value served, and where it went (the next resend to another address
 * tells this one). Like the welcomed tag, written or logged, never thrown
 * (flow.ts writeTags): the email went out.
 */
function markResentTags(value: number, sentTo?: string) {
  return {
    what: 'resent' as const,
    tags: [
      { key: RESENT_TAG_KEY, value: String(value) },
      ...(sentTo === undefined ? [] : [{ key: SENT_TO_TAG_KEY, value: sentTo }]),
    ],
    logged: { resent: value },
  };
}

async function markResent(r: UserRun, value: number): Promise<void> {
  const { what, tags, logged } = markResentTags(value);
  await writeTags(r, what, tags, logged);
}
