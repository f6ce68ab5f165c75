/**
 * The one issuing flow, for the first welcome (welcome.ts) and a resend
 * (resend.ts): a new temporary password for a managed user, its login
 * profile, the email, and the tags that record it (issuePassword); with the
 * steps both share, wired to injected dependencies so that tests can pass
 * fast sleeps, a fake clock and seeded jitter while using the real SDK
 * clients (intercepted in process).
 *
 * Exactly-once email rests on IAM: CreateLoginProfile succeeds for one run
 * only. That run sends the email, then tags the user; if sending fails it
 * deletes the profile again and fails, so that the next delivery starts from
 * scratch. What a run does with a profile it finds is the caller's to judge
 * (core/consistency.ts, core/resend.ts).
 *
 * Before any of it, SES's account-level suppression list is asked about the
 * address (checkSuppression): SES accepts a send to a suppressed address and
 * never delivers it, so a password issued then would reach nobody while the
 * person is recorded as welcomed. Each caller asks before the first step it
 * cannot take back (a resend deletes the old profile before issuePassword).
 *
 * Right after CreateUser, IAM may not show the user yet
 * (docs/design.md, "IAM is eventually consistent"):
 * inside the grace period, "no such user" is waited for in process, then the
 * record fails so that SQS delivers it again; only later is it final.
 */
import {
  createLoginProfile,
  type CreateProfileOutcome,
  deleteLoginProfile,
  getPasswordPolicy,
  tagUserWith,
} from './aws/iam';
import { isTemporarilyUnmodifiable, isThrottlingError, mayHaveSucceeded } from './aws/faults';
import { isSendThrottled, sendEmail } from './aws/ses';
import { getSuppression, type Suppression } from './aws/suppression';
import type { SuppressionFacts } from './core/admin-notice';
import { IN_FLIGHT_WINDOW_MS } from './core/consistency';
import { describeError, errorName, RecordError, type RecordStep } from './core/errors';
import { renderWelcomeEmail, type WelcomeEmail, type WelcomeEmailInput } from './core/message';
import { generatePassword, type PasswordRules, rulesFromIamPolicy } from './core/password';
import { type RetryOptions, withRetries } from './core/retry';
import { signInUrl } from './core/signin';
import {
  type DeliveryChannel,
  SENT_TO_TAG_KEY,
  usesSlack,
  type WelcomeRequestReason,
} from '../../shared/contract';
import type { AdminNotice } from './core/admin-notice';
import { renderWelcomeSlack } from './core/slack-message';
import {
  channelFor,
  type DmResult,
  findSlackUser,
  postWelcomeDm,
  SlackTransientError,
  type SlackUnavailable,
} from './slack-delivery';
import type { EventLog } from './log';
import { DEFAULT_RETRY, remainingMs, type RetrySettings, type RunContext } from './run-context';

/**
 * Waiting in process for IAM to show a user created moments ago: waits of
 * 0.25-0.5 s, 0.5-1 s and 1-2 s (equal jitter: never a useless near-zero
 * wait), at most 3.5 s per read. IAM usually catches up within that; when it
 * does not, the record fails and the next delivery reads again.
 */
export const VISIBILITY_RETRY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 2_000 } as const;

/**
 * DeleteLoginProfile answering EntityTemporarilyUnmodifiable (409) right after
 * the profile was created: at most ~3.75 s of waiting, within the reserve kept
 * for it, leaving 1 s to report.
 */
export const DELETE_RETRY = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  reserveMs: 1_000,
} as const;

/** Everything the steps for one user share: whose run it is, and how to log and wait. */
export interface UserRun extends RunContext {
  userName: string;
  /** The key of the request's logs and failure reports. */
  eventId: string;
  log: EventLog;
  /** Inside the grace period after CreateUser: IAM's "no such user" is not final yet. */
  inGrace: () => boolean;
}

/** Runs one step; a failure becomes a RecordError (logged without secrets). */
export async function step<T>(
  r: UserRun,
  name: RecordStep,
  run: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RecordError) throw error;
    r.log.error('step failed', {
      step: name,
      outcome: 'error',
      error: describeError(error, secrets),
    });
    throw new RecordError({
      step: name,
      errorName: errorName(error),
      userName: r.userName,
      eventId: r.eventId,
    });
  }
}

export function deferred(
  r: UserRun,
  stepName: RecordStep,
  name: string,
  action: string,
): RecordError {
  return new RecordError({
    step: stepName,
    errorName: name,
    userName: r.userName,
    eventId: r.eventId,
    action,
    deferred: true,
  });
}

class NotVisible extends Error {}

/**
 * Reads until `visible` holds. Inside the grace period a read that is not
 * visible is retried in process, then becomes a deferred failure; after it,
 * the last read is returned as IAM's final word.
 */
export async function untilVisible<T>(
  r: UserRun,
  stepName: RecordStep,
  read: () => Promise<T>,
  visible: (value: T) => boolean,
): Promise<T> {
  const { deps, context } = r;
  let last: T | undefined;
  try {
    return await withRetries(
      async () => {
        last = await read();
        if (!visible(last)) throw new NotVisible();
        return last;
      },
      {
        ...VISIBILITY_RETRY,
        reserveMs: (deps.retry ?? DEFAULT_RETRY).reserveMs,
        sleep: deps.sleep,
        random: () => 0.5 + deps.random() / 2,
        remainingMs: () => remainingMs(context),
        isRetryable: (error) => error instanceof NotVisible && r.inGrace(),
        onRetry: ({ attempt, delayMs }) =>
          r.log.warn('not visible in IAM yet, retrying', {
            step: stepName,
            outcome: 'not-visible',
            attempt,
            delayMs,
          }),
      },
    );
  } catch (error) {
    if (!(error instanceof NotVisible)) throw error;
    if (!r.inGrace()) return last as T;
    throw deferred(
      r,
      stepName,
      'NotVisibleYet',
      'IAM does not show the user (or its managed-by tag) yet, inside the grace period ' +
        'after CreateUser; the next delivery tries again',
    );
  }
}

function retryOptions(
  r: UserRun,
  stepName: RecordStep,
  isRetryable: (error: unknown) => boolean,
  secrets: readonly string[],
  settings: Partial<RetrySettings> = {},
): RetryOptions {
  const { deps, context } = r;
  return {
    ...(deps.retry ?? DEFAULT_RETRY),
    ...settings,
    sleep: deps.sleep,
    random: deps.random,
    remainingMs: () => remainingMs(context),
    isRetryable,
    onRetry: ({ attempt, delayMs, error }) =>
      r.log.warn('refused for now, retrying', {
        step: stepName,
        outcome: isThrottlingError(error) ? 'throttled' : 'temporarily-refused',
        attempt,
        delayMs,
        error: describeError(error, secrets),
      }),
  };
}

/** CreateLoginProfile with throttling retries; a maybe-created profile is rolled back. */
async function createOnce(
  r: UserRun,
  password: string,
  secrets: readonly string[],
): Promise<CreateProfileOutcome> {
  try {
    return await withRetries(
      () => createLoginProfile(r.deps.iamCreate, r.userName, password),
      retryOptions(r, 'create-login-profile', isThrottlingError, secrets),
    );
  } catch (error) {
    // No answer, or a server fault: the profile may exist now. Remove it so
    // that the retry can create one and send. A refusal (4xx) created
    // nothing, and deleting then could remove a profile an earlier run
    // created and emailed (a duplicate event), so it is left alone.
    if (mayHaveSucceeded(error)) await rollback(r, 'create-login-profile');
    throw error;
  }
}

async function send(
  r: UserRun,
  email: {
    to: string;
    message: WelcomeEmail;
    secrets: readonly string[];
    /** Called before the rollback when SES may have sent the email though the call failed. */
    onMaybeSent?: () => Promise<void>;
  },
): Promise<string | undefined> {
  const { deps, config, log } = r;
  try {
    return await withRetries(
      () =>
        sendEmail(deps.ses, {
          source: config.source,
          to: email.to,
          message: email.message,
          userName: r.userName,
          ...(config.sesConfigurationSet ? { configurationSet: config.sesConfigurationSet } : {}),
        }),
      retryOptions(r, 'send-email', isSendThrottled, email.secrets),
    );
  } catch (error) {
    log.error('step failed', {
      step: 'send-email',
      outcome: 'error',
      error: describeError(error, email.secrets),
    });
    if (email.onMaybeSent && mayHaveSucceeded(error)) await email.onMaybeSent();
    await rollback(r, 'send-email');
    throw new RecordError({
      step: 'send-email',
      errorName: errorName(error),
      userName: r.userName,
      eventId: r.eventId,
    });
  }
}

/**
 * DeleteLoginProfile, retried while IAM answers EntityTemporarilyUnmodifiable
 * (common right after the profile was created) or throttles.
 */
export async function removeProfile(
  r: UserRun,
  why: { failedStep: RecordStep } | { replacing: 'orphaned-profile' | 'resend' },
): Promise<'deleted' | 'absent'> {
  const outcome = await withRetries(
    () => deleteLoginProfile(r.deps.iam, r.userName),
    retryOptions(
      r,
      'delete-login-profile',
      (error) => isTemporarilyUnmodifiable(error) || isThrottlingError(error),
      [],
      DELETE_RETRY,
    ),
  );
  r.log.info('step done', { step: 'delete-login-profile', outcome, ...why });
  return outcome;
}

/** Deletes the profile this run created, so that a retry can create it and send. */
async function rollback(r: UserRun, failedStep: RecordStep): Promise<void> {
  try {
    await removeProfile(r, { failedStep });
  } catch (error) {
    r.log.error('step failed', {
      step: 'delete-login-profile',
      outcome: 'error',
      failedStep,
      error: describeError(error),
    });
    // Left as is, the profile has a password nobody received and no welcomed
    // tag: a later delivery finds it older than the in-flight window, judges
    // it orphaned and replaces it. A person can also clear it at once.
    throw new RecordError({
      step: 'delete-login-profile',
      errorName: errorName(error),
      userName: r.userName,
      eventId: r.eventId,
      action:
        `The user has a login profile but no email. A delivery of this message more than ` +
        `${IN_FLIGHT_WINDOW_MS / 60_000} minutes from now replaces it; if none is left, delete it ` +
        `(aws iam delete-login-profile --user-name ${r.userName}) and replay the event`,
    });
  }
}

export interface Recipient {
  to: string;
  displayName?: string;
  /** The previous user name this user replaces (tag renamed-from): the email says so. */
  renamedFrom?: string;
  signInUrl: string;
  rules: PasswordRules;
  /** How the sign-in goes out: the person's channel tag, else the settings' default. */
  channel: DeliveryChannel;
}

/** Where the email goes and what the password must satisfy: the account's policy, the sign-in URL. */
export async function recipientFor(
  r: UserRun,
  to: { email: string; displayName?: string; renamedFrom?: string; channel?: DeliveryChannel },
): Promise<Recipient> {
  const policy = await step(r, 'get-password-policy', () => getPasswordPolicy(r.deps.iam));
  const rules = rulesFromIamPolicy(policy);
  r.log.info('step done', {
    step: 'get-password-policy',
    outcome: policy ? 'account-policy' : 'iam-default',
    minimumLength: rules.minimumLength,
  });
  const url = await step(r, 'resolve-sign-in-url', async () => signInUrl(await r.signInHost()));
  return {
    to: to.email,
    ...(to.displayName === undefined ? {} : { displayName: to.displayName }),
    ...(to.renamedFrom === undefined ? {} : { renamedFrom: to.renamedFrom }),
    signInUrl: url,
    rules,
    channel: channelFor(to.channel, r.config),
  };
}

/** The log message the welcome-email-problems alarm counts at ERROR (notices.ts has the same). */
const EMAIL_PROBLEM = 'welcome email problem';

/**
 * SES's account-level suppression list on the address, read before anything
 * is issued. Not on it (NotFoundException): undefined. Any other answer fails
 * the record at step `check-suppression` (nothing was issued, so SQS's
 * redelivery is harmless): throttling and server faults pass (the client
 * retries them first, aws/clients.ts), an AccessDenied or a BadRequest does
 * not, and then the dead-letter queue and its `failed` notice name the
 * step. Reading "could not tell" as "not suppressed" would bring back the
 * silent loss this check exists to prevent.
 */
async function checkSuppression(r: UserRun, address: string): Promise<Suppression | undefined> {
  const found = await step(r, 'check-suppression', () => getSuppression(r.deps.sesv2, address));
  if (found === undefined) {
    r.log.info('step done', { step: 'check-suppression', outcome: 'not-suppressed' });
    return undefined;
  }
  // The address is not logged (the notice carries it); the alarm counts the line.
  r.log.error(EMAIL_PROBLEM, {
    step: 'check-suppression',
    outcome: 'suppressed',
    suppressionReason: found.reason,
    ...(found.since ? { suppressedSince: found.since.toISOString() } : {}),
  });
  return found;
}

/**
 * Nothing issued, nothing recorded: the admins are told the reason, the date
 * and the command that lifts it. Except for a request the reconcile queued:
 * it comes back every run until the suppression is lifted, and the first
 * request (the CreateUser or TagUser event) told them already; its ERROR
 * line still counts in the welcome-email-problems alarm.
 */
export async function holdIfSuppressed(
  r: UserRun,
  held: {
    address: string;
    onceLifted: SuppressionFacts['onceLifted'];
    requested?: WelcomeRequestReason;
  },
): Promise<{ reason: 'address-suppressed'; detail: string } | undefined> {
  const { address, onceLifted } = held;
  const suppression = await checkSuppression(r, address);
  if (suppression === undefined) return undefined;
  const since = suppression.since?.toISOString();
  if (held.requested !== 'reconcile') {
    await r.notifyAdmins({
      kind: 'suppressed',
      userName: r.userName,
      address,
      suppression: {
        addresses: [address],
        reason: suppression.reason,
        ...(since === undefined ? {} : { since }),
        onceLifted,
      },
    });
  }
  return {
    reason: 'address-suppressed',
    detail:
      `the address is on SES's account-level suppression list (${suppression.reason}` +
      `${since === undefined ? '' : ` since ${since}`}); no password was issued`,
  };
}

export type Tag = { key: string; value: string };

/** What differs between a first welcome and a resend. */
export interface Issue {
  recipient: Recipient;
  /** The email says it replaces an earlier one (only when one went, or may have: issue 21). */
  replacesEarlier: boolean;
  /** The resend wording. */
  resend?: true;
  /** The tags that record the email, made once SES accepted it (a tag may carry the time). */
  record: () => {
    what: 'welcomed' | 'resent';
    tags: readonly Tag[];
    logged: Record<string, unknown>;
  };
  /** Tag where the email may have gone when SES's answer was lost (the first welcome). */
  recordMaybeSent?: true;
}

/**
 * A new password, the login profile, the email, the tags that record it; or
 * what CreateLoginProfile found instead, for the caller to judge. The caller
 * has asked checkSuppression about the recipient first.
 */
export async function issuePassword(
  r: UserRun,
  issue: Issue,
): Promise<Issued | 'already-exists' | 'no-such-user'> {
  const { deps, config, log } = r;
  const { recipient } = issue;
  const { channel } = recipient;
  // Before any password exists: who the person is on Slack, or why the email
  // goes instead. A rate limit or fault fails the record here, with nothing issued.
  let slackUser: string | undefined;
  let slackMissed: SlackUnavailable | undefined;
  if (usesSlack(channel)) {
    const found =
      channel === 'slack'
        ? await step(r, 'slack-lookup', () => findSlackUser(r, recipient.to))
        : // Beside the email, Slack being down is a notice, never a failure.
          await findSlackUser(r, recipient.to).catch((error: unknown): SlackUnavailable => ({
            reason:
              error instanceof SlackTransientError
                ? error.reason
                : `users.lookupByEmail: ${errorName(error)}`,
            fix: 'nothing, if it passes: the email has the sign-in; otherwise see the function logs',
          }));
    if ('userId' in found) slackUser = found.userId;
    else slackMissed = found;
    log.info('step done', {
      step: 'slack-lookup',
      outcome: slackUser === undefined ? 'email-instead' : 'found',
      channel,
      ...(slackMissed ? { reason: slackMissed.reason } : {}),
    });
  }
  const password = await step(r, 'generate-password', () =>
    Promise.resolve(generatePassword(recipient.rules)),
  );
  const secrets = [password];
  const content: WelcomeEmailInput = {
    userName: r.userName,
    ...(recipient.displayName === undefined ? {} : { displayName: recipient.displayName }),
    ...(recipient.renamedFrom === undefined ? {} : { renamedFrom: recipient.renamedFrom }),
    email: recipient.to,
    signInUrl: recipient.signInUrl,
    organisationName: config.organisationName,
    helpContact: config.helpContact,
    password,
    // Read just before CreateLoginProfile: never after the profile's
    // CreateDate, from which the expiry run counts.
    issuedAtMs: deps.now(),
    ...(config.unusedPasswordDays === undefined
      ? {}
      : { unusedPasswordDays: config.unusedPasswordDays }),
    replacesEarlier: issue.replacesEarlier,
    ...(issue.resend ? { resend: true } : {}),
    mfaRequired: config.mfaRequired,
  };
  const message = renderWelcomeEmail(content);

  const created = await step(
    r,
    'create-login-profile',
    () =>
      untilVisible(
        r,
        'create-login-profile',
        () => createOnce(r, password, secrets),
        (outcome) => outcome !== 'no-such-user',
      ),
    secrets,
  );
  log.info('step done', { step: 'create-login-profile', outcome: created });
  if (created !== 'created') return created;

  // Slack only: the DM is the delivery, with the email's exactly-once rules
  // (a transient failure rolls the profile back and fails the record); a DM
  // Slack will not take sends the email instead, with the same password.
  let dmSent = false;
  if (channel === 'slack' && slackUser !== undefined) {
    const dm = await sendDm(r, slackUser, content);
    if (dm.sent) {
      dmSent = true;
    } else if ('transient' in dm) {
      log.error('step failed', {
        step: 'send-slack',
        outcome: 'error',
        error: { name: dm.transient.name, message: dm.transient.reason },
      });
      if (dm.transient.maybeSent && issue.recordMaybeSent) {
        await writeTags(r, 'sent-to', [{ key: SENT_TO_TAG_KEY, value: recipient.to }], {
          sentTo: 'maybe-sent',
        });
      }
      await rollback(r, 'send-slack');
      throw new RecordError({
        step: 'send-slack',
        errorName: dm.transient.name,
        userName: r.userName,
        eventId: r.eventId,
      });
    } else {
      slackMissed = dm.unavailable;
      log.warn('step done', {
        step: 'send-slack',
        outcome: 'email-instead',
        reason: dm.unavailable.reason,
      });
    }
  }
  const messageId = dmSent
    ? undefined
    : await send(r, {
        to: recipient.to,
        message,
        secrets,
        // SES's answer was lost: the email may have gone. The next delivery's
        // email then says it replaces it, and a later change of address tells this one.
        ...(issue.recordMaybeSent
          ? {
              onMaybeSent: () =>
                writeTags(r, 'sent-to', [{ key: SENT_TO_TAG_KEY, value: recipient.to }], {
                  sentTo: 'maybe-sent',
                }),
            }
          : {}),
      });
  if (!dmSent) {
    log.info('step done', {
      step: 'send-email',
      outcome: 'sent',
      messageId,
      replacesEarlier: issue.replacesEarlier,
    });
  }
  // Both: the email is the record; the DM beside it is best effort, its failure a notice.
  let alsoDm = false;
  if (channel === 'email-and-slack' && slackUser !== undefined) {
    const dm = await sendDm(r, slackUser, content);
    if (dm.sent) {
      alsoDm = true;
    } else {
      slackMissed =
        'transient' in dm
          ? {
              reason: dm.transient.reason,
              fix: 'nothing: Slack was busy or unreachable; the email has the sign-in',
            }
          : dm.unavailable;
      log.warn('step done', {
        step: 'send-slack',
        outcome: 'not-sent',
        reason: slackMissed.reason,
      });
    }
  }
  const { what, tags, logged } = issue.record();
  await writeTags(r, what, tags, logged, secrets);
  if (slackMissed) await r.notifyAdmins(slackNotice(r.userName, recipient, slackMissed));
  const via = dmSent ? 'slack' : alsoDm ? 'email-and-slack' : undefined;
  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(via === undefined ? {} : { via }),
  };
}

/** The welcome DM, its sending logged; what a DM not sent leads to is the caller's. */
async function sendDm(
  r: UserRun,
  slackUser: string,
  content: WelcomeEmailInput,
): Promise<DmResult> {
  const dm = await postWelcomeDm(r, slackUser, renderWelcomeSlack(content));
  if (dm.sent) {
    r.log.info('step done', {
      step: 'send-slack',
      outcome: 'sent',
      ...(dm.ts ? { ts: dm.ts } : {}),
    });
  }
  return dm;
}

/** What issuing sent: SES's message ID when an email went; `via` when a Slack DM went too or instead. */
export interface Issued {
  messageId?: string;
  via?: 'slack' | 'email-and-slack';
}

/** The admins' notice of a DM not sent: the email went instead (`slack`) or alone (`email-and-slack`). */
function slackNotice(
  userName: string,
  recipient: Recipient,
  missed: SlackUnavailable,
): AdminNotice {
  return {
    kind: recipient.channel === 'slack' ? 'slack-fallback' : 'slack-not-delivered',
    userName,
    address: recipient.to,
    detail: missed.reason,
    fix: missed.fix,
  };
}

/**
 * Writes the tags that record what a run did, after the fact they record (an
 * email SES accepted, a profile deleted). A failure is logged as an ERROR
 * "<what> tag not written", with the command that writes them by hand, and
 * never fails the record, on purpose: the fact stands, and a redelivery
 * would act on it again. For the welcomed tag, that delivery would find a
 * profile without the tag: inside IN_FLIGHT_WINDOW_MS it would fail again,
 * after it would judge the profile orphaned and replace it, killing the
 * password just sent. What is left is narrow: a later duplicate or replay,
 * before the person signs in, replaces the profile and sends again (with the
 * "replaces" notice); once they have signed in, PasswordLastUsed marks them
 * welcomed. (The client's own SDK retries already cover throttling and
 * server faults: TagUser is idempotent.)
 */
export async function writeTags(
  r: Pick<UserRun, 'deps' | 'log' | 'userName'>,
  what: 'welcomed' | 'resent' | 'expired' | 'sent-to',
  tags: readonly Tag[],
  logged: Record<string, unknown> = {},
  secrets: readonly string[] = [],
): Promise<void> {
  try {
    await tagUserWith(r.deps.iam, r.userName, tags);
    r.log.info('step done', { step: 'tag-user', outcome: 'tagged', ...logged });
  } catch (error) {
    const byHand = tags.map((t) => `Key=${t.key},Value=${t.value}`).join(' ');
    r.log.error(`${what} tag not written`, {
      step: 'tag-user',
      outcome: 'error',
      userName: r.userName,
      error: describeError(error, secrets),
      action: `aws iam tag-user --user-name ${r.userName} --tags ${byHand}`,
    });
  }
}
