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
 * Order: read (user, tags, profile), decide, judge the caller; delete the old
 * profile; create the new one (IAM lets one run only); send; record the value
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
import type { CreatedUser } from './core/event';
import {
  MANAGED_USER_PATH,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
} from '../../shared/contract';
import { getLoginProfile, getPasswordPolicy, getUser, listUserTags, tagUserWith } from './aws/iam';
import { sendEmail } from './aws/ses';
import { renderAddressChangeEmail } from './core/address-change-message';
import { describeError } from './core/errors';
import { renderWelcomeEmail } from './core/message';
import { generatePassword, rulesFromIamPolicy } from './core/password';
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
import { signInUrl } from './core/signin';
import {
  type Attempt,
  createOnce,
  deferred,
  type EventRun,
  removeProfile,
  type RunContext,
  send,
  step,
} from './flow';
import type { EventLog } from './log';

export type ResendOutcome =
  | { outcome: 'resent'; resend: number; messageId?: string }
  | { outcome: 'skipped'; reason: string; detail: string };

const skip = (reason: string, detail: string): ResendOutcome => ({
  outcome: 'skipped',
  reason,
  detail,
});

/** The shared steps speak of a CreatedUser; a resend is about a user long created. */
function asEventRun(run: RunContext, event: ResendEvent, log: EventLog): EventRun {
  const created: CreatedUser = {
    eventId: event.eventId,
    snsMessageId: event.snsMessageId,
    userName: event.userName,
    ...(event.userId === undefined ? {} : { userId: event.userId }),
    path: MANAGED_USER_PATH,
  };
  // No grace period: the user is not new, so IAM's "no such user" is final.
  return { ...run, event: created, log, inGrace: () => false };
}

export async function resendWelcome(
  run: RunContext,
  event: ResendEvent,
  log: EventLog,
  _attempt: Attempt,
): Promise<ResendOutcome> {
  const { deps } = run;
  const r = asEventRun(run, event, log);
  const user = await step(r, 'get-user', () => getUser(deps.iam, event.userName));
  if (!user) return skip('user-deleted', 'GetUser: NoSuchEntity');
  const tags = await step(r, 'list-user-tags', () => listUserTags(deps.iam, event.userName));
  if (!tags) return skip('user-deleted', 'ListUserTags: NoSuchEntity');

  // The same gate as the first welcome: managed path, managed-by tag, an address.
  const decision = decide(event.userId, { ...user, tags });
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
      await markResent(r, request.requested, undefined, []);
      return skip(
        'resend-already-served',
        'the person signed in with a password created for this resend',
      );
    case 'replace':
    case 'orphaned':
      await step(r, 'delete-login-profile', () => removeProfile(r, { replacing: 'resend' }));
      break;
    case 'create':
      break;
  }

  const policy = await step(r, 'get-password-policy', () => getPasswordPolicy(deps.iam));
  const rules = rulesFromIamPolicy(policy);
  const url = await step(r, 'resolve-sign-in-url', async () => signInUrl(await run.signInHost()));
  const password = await step(r, 'generate-password', () =>
    Promise.resolve(generatePassword(rules)),
  );
  const secrets = [password];
  const message = renderWelcomeEmail({
    userName: event.userName,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    email: decision.email,
    signInUrl: url,
    organisationName: run.config.organisationName,
    helpContact: run.config.helpContact,
    password,
    issuedAtMs: deps.now(),
    ...(run.config.unusedPasswordDays === undefined
      ? {}
      : { unusedPasswordDays: run.config.unusedPasswordDays }),
    replacesEarlier: true,
    resend: true,
    mfaRequired: run.config.mfaRequired,
  });

  const created = await step(
    r,
    'create-login-profile',
    () => createOnce(r, password, secrets),
    secrets,
  );
  if (created === 'no-such-user') return skip('user-deleted', 'CreateLoginProfile: NoSuchEntity');
  if (created === 'already-exists') {
    // Another delivery created one since this one looked: it is theirs to send.
    throw deferred(
      r,
      'create-login-profile',
      'ProfileInFlight',
      'another delivery created a login profile for this resend; the next delivery looks again',
    );
  }
  log.info('step done', { step: 'create-login-profile', outcome: 'created' });

  const messageId = await send(r, { to: decision.email, message, secrets });
  log.info('step done', { step: 'send-email', outcome: 'sent', messageId, replacesEarlier: true });
  await markResent(r, request.requested, decision.email, secrets);
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
  return {
    outcome: 'resent',
    resend: request.requested,
    ...(messageId === undefined ? {} : { messageId }),
  };
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
async function tellOldAddress(r: EventRun, oldAddress: string): Promise<'told' | 'failed'> {
  const { deps, config, event, log } = r;
  try {
    await sendEmail(deps.ses, {
      source: config.source,
      to: oldAddress,
      message: renderAddressChangeEmail({
        userName: event.userName,
        oldAddress,
        organisationName: config.organisationName,
        helpContact: config.helpContact,
      }),
      userName: event.userName,
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
 * Records the value served, and where it went (the next resend to another
 * address tells this one). Like the welcomed tag (flow.ts markWelcomed), a
 * failure is logged, not thrown: the email went out, and failing the record
 * would make a later delivery replace the password just sent.
 */
async function markResent(
  r: EventRun,
  value: number,
  sentTo: string | undefined,
  secrets: readonly string[],
): Promise<void> {
  try {
    await tagUserWith(r.deps.iam, r.event.userName, [
      { key: RESENT_TAG_KEY, value: String(value) },
      ...(sentTo === undefined ? [] : [{ key: SENT_TO_TAG_KEY, value: sentTo }]),
    ]);
    r.log.info('step done', { step: 'tag-user', outcome: 'tagged', resent: value });
  } catch (error) {
    r.log.error('resent tag not written', {
      step: 'tag-user',
      outcome: 'error',
      error: describeError(error, secrets),
      action:
        `tag the user by hand: aws iam tag-user --user-name ${r.event.userName} ` +
        `--tags Key=${RESENT_TAG_KEY},Value=${value} (the value of its ${RESEND_TAG_KEY} tag served)`,
    });
  }
}
