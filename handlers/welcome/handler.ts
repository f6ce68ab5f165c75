/**
 * The welcome flow for one CreateUser event, wired to injected dependencies so
 * that tests can pass fast sleeps and seeded jitter while using the real SDK
 * clients (intercepted in process).
 *
 * Exactly-once email rests on IAM: CreateLoginProfile succeeds for one run
 * only. That run sends the email; if sending fails it deletes the profile
 * again and throws, so the next try (Lambda's retry) starts from scratch.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SESClient } from '@aws-sdk/client-ses';
import type { Context } from 'aws-lambda';
import {
  createLoginProfile,
  deleteLoginProfile,
  getAccountAlias,
  getPasswordPolicy,
  getUser,
  listUserTags,
} from './aws/iam';
import { isThrottlingError, mayHaveSucceeded } from './aws/faults';
import { isSendThrottled, sendEmail } from './aws/ses';
import { readConfig, type WelcomeConfig } from './core/config';
import { describeError, errorName, WelcomeError, type WelcomeStep } from './core/errors';
import { type CreatedUser, parseSnsEvent } from './core/event';
import { renderWelcomeEmail } from './core/message';
import { generatePassword, rulesFromIamPolicy } from './core/password';
import { decide, isManagedPath } from './core/policy';
import { type RetryOptions, type Sleep, withRetries } from './core/retry';
import { accountIdFromArn, isAccountAlias, signInUrl } from './core/signin';
import { type EventLog, eventLog } from './log';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time kept free at the end of the invocation for the rollback. */
  reserveMs: number;
}

/**
 * For throttled SES sends and IAM creates: at most ~8 s of waiting per step
 * (the sum of the back-off ceilings), so a Lambda timeout of 30 s leaves room.
 */
export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  reserveMs: 5_000,
};

export interface WelcomeDeps {
  /** IAM reads and the rollback (SDK retries are fine). */
  iam: IAMClient;
  /** IAM CreateLoginProfile (no SDK retries, see aws/clients.ts). */
  iamCreate: IAMClient;
  ses: SESClient;
  logger: Logger;
  env: () => NodeJS.ProcessEnv;
  sleep: Sleep;
  random: () => number;
  retry?: RetrySettings;
}

export type RecordOutcome =
  | { outcome: 'welcomed'; eventId: string; userName: string; messageId?: string }
  | { outcome: 'skipped'; reason: string; eventId?: string; userName?: string };

export interface WelcomeSummary {
  records: RecordOutcome[];
}

/** Thrown when several records of one invocation failed; each is also logged. */
export class WelcomeBatchError extends Error {
  constructor(errors: readonly WelcomeError[]) {
    super(`${errors.length} records failed: ${errors.map((e) => e.message).join(' | ')}`);
    this.name = 'WelcomeBatchError';
  }
}

interface RunContext {
  deps: WelcomeDeps;
  config: WelcomeConfig;
  context: Context;
  signInHost: () => Promise<string>;
}

/** What became of one CreateUser event, before it is logged and summarised. */
type UserOutcome =
  | { outcome: 'welcomed'; messageId?: string }
  | { outcome: 'skipped'; reason: string; detail: string };

const skip = (reason: string, detail: string): UserOutcome => ({
  outcome: 'skipped',
  reason,
  detail,
});

/** Runs one step; a failure becomes a WelcomeError (logged without secrets). */
async function step<T>(
  name: WelcomeStep,
  event: CreatedUser,
  log: EventLog,
  run: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WelcomeError) throw error;
    log.error('step failed', {
      step: name,
      outcome: 'error',
      error: describeError(error, secrets),
    });
    throw new WelcomeError({
      step: name,
      errorName: errorName(error),
      userName: event.userName,
      eventId: event.eventId,
    });
  }
}

async function welcomeUser(
  run: RunContext,
  event: CreatedUser,
  log: EventLog,
): Promise<UserOutcome> {
  const { deps, config } = run;
  if (!isManagedPath(event.path)) {
    return skip('not-managed-path', `created with path ${event.path}`);
  }

  const user = await step('get-user', event, log, () => getUser(deps.iam, event.userName));
  if (!user) return skip('user-deleted', 'GetUser: NoSuchEntity');
  log.info('step done', { step: 'get-user', outcome: 'found', path: user.path });

  const tags = await step('list-user-tags', event, log, () =>
    listUserTags(deps.iam, event.userName),
  );
  if (!tags) return skip('user-deleted', 'ListUserTags: NoSuchEntity');
  log.info('step done', { step: 'list-user-tags', outcome: 'found', tagCount: tags.length });

  const decision = decide(event.userId, { ...user, tags });
  if (decision.kind === 'skip') return skip(decision.reason, decision.detail);
  log.info('step done', { step: 'decide', outcome: 'managed' });

  const policy = await step('get-password-policy', event, log, () => getPasswordPolicy(deps.iam));
  const rules = rulesFromIamPolicy(policy);
  log.info('step done', {
    step: 'get-password-policy',
    outcome: policy ? 'account-policy' : 'iam-default',
    minimumLength: rules.minimumLength,
  });
  const password = await step('generate-password', event, log, () =>
    Promise.resolve(generatePassword(rules)),
  );
  const secrets = [password];

  const url = await step('resolve-sign-in-url', event, log, async () =>
    signInUrl(await run.signInHost()),
  );
  const message = renderWelcomeEmail({
    userName: event.userName,
    ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    email: decision.email,
    signInUrl: url,
    organisationName: config.organisationName,
    helpContact: config.helpContact,
    password,
  });

  const created = await step(
    'create-login-profile',
    event,
    log,
    async () => {
      try {
        return await withRetries(
          () => createLoginProfile(deps.iamCreate, event.userName, password),
          retryOptions(run, log, 'create-login-profile', isThrottlingError, secrets),
        );
      } catch (error) {
        // No answer, or a server fault: the profile may exist now. Remove it so
        // that the retry can create one and send. A refusal (4xx) created
        // nothing, and deleting then could remove a profile an earlier run
        // created and emailed (a duplicate event), so it is left alone.
        if (mayHaveSucceeded(error)) await rollback(deps, event, log, 'create-login-profile');
        throw error;
      }
    },
    secrets,
  );
  if (created === 'already-exists') {
    return skip('already-welcomed', 'the user already has a login profile; no email sent');
  }
  if (created === 'no-such-user') return skip('user-deleted', 'CreateLoginProfile: NoSuchEntity');
  log.info('step done', { step: 'create-login-profile', outcome: 'created' });

  const messageId = await send(run, event, log, { to: decision.email, message, secrets });
  log.info('step done', { step: 'send-email', outcome: 'sent', messageId });
  return { outcome: 'welcomed', ...(messageId === undefined ? {} : { messageId }) };
}

function retryOptions(
  run: RunContext,
  log: EventLog,
  stepName: WelcomeStep,
  isRetryable: (error: unknown) => boolean,
  secrets: readonly string[],
): RetryOptions {
  const { deps, context } = run;
  return {
    ...(deps.retry ?? DEFAULT_RETRY),
    sleep: deps.sleep,
    random: deps.random,
    remainingMs: () =>
      typeof context.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis()
        : Number.POSITIVE_INFINITY,
    isRetryable,
    onRetry: ({ attempt, delayMs, error }) =>
      log.warn('throttled, retrying', {
        step: stepName,
        outcome: 'throttled',
        attempt,
        delayMs,
        error: describeError(error, secrets),
      }),
  };
}

async function send(
  run: RunContext,
  event: CreatedUser,
  log: EventLog,
  email: { to: string; message: ReturnType<typeof renderWelcomeEmail>; secrets: readonly string[] },
): Promise<string | undefined> {
  const { deps, config } = run;
  try {
    return await withRetries(
      () => sendEmail(deps.ses, { source: config.source, to: email.to, message: email.message }),
      retryOptions(run, log, 'send-email', isSendThrottled, email.secrets),
    );
  } catch (error) {
    log.error('step failed', {
      step: 'send-email',
      outcome: 'error',
      error: describeError(error, email.secrets),
    });
    await rollback(deps, event, log, 'send-email');
    throw new WelcomeError({
      step: 'send-email',
      errorName: errorName(error),
      userName: event.userName,
      eventId: event.eventId,
    });
  }
}

/** Deletes the profile this run created, so that a retry can create it and send. */
async function rollback(
  deps: WelcomeDeps,
  event: CreatedUser,
  log: EventLog,
  failedStep: WelcomeStep,
): Promise<void> {
  try {
    const outcome = await deleteLoginProfile(deps.iam, event.userName);
    log.info('step done', { step: 'delete-login-profile', outcome, failedStep });
  } catch (error) {
    log.error('step failed', {
      step: 'delete-login-profile',
      outcome: 'error',
      failedStep,
      error: describeError(error),
    });
    // Left as is, every retry would see "already exists" and send nothing.
    throw new WelcomeError({
      step: 'delete-login-profile',
      errorName: errorName(error),
      userName: event.userName,
      eventId: event.eventId,
      action:
        `The user may have a login profile but no email: delete it ` +
        `(aws iam delete-login-profile --user-name ${event.userName}) and replay the event`,
    });
  }
}

/** Alias (configured, else asked of IAM once per environment) or account ID, for the sign-in host. */
function signInHostResolver(
  deps: WelcomeDeps,
  config: WelcomeConfig,
  context: Context,
  aliasCache: { alias?: string | null },
): () => Promise<string> {
  return async () => {
    if (config.accountAlias) return config.accountAlias;
    if (aliasCache.alias === undefined) {
      try {
        const alias = await getAccountAlias(deps.iam);
        aliasCache.alias = alias !== undefined && isAccountAlias(alias) ? alias : null;
      } catch (error) {
        // The account ID always works as a sign-in host; an alias is only nicer.
        deps.logger.warn('account alias unavailable, using the account ID', {
          step: 'resolve-sign-in-url',
          error: describeError(error),
        });
      }
    }
    if (aliasCache.alias) return aliasCache.alias;
    const accountId = accountIdFromArn(context.invokedFunctionArn ?? '');
    if (!accountId) throw new Error('no account alias and no account ID in invokedFunctionArn');
    return accountId;
  };
}

export function createWelcomeHandler(
  deps: WelcomeDeps,
): (event: unknown, context: Context) => Promise<WelcomeSummary> {
  // Per execution environment: an account alias rarely changes, and a cold start re-reads it.
  const aliasCache: { alias?: string | null } = {};

  return async (event, context) => {
    deps.logger.addContext(context);
    let config: WelcomeConfig;
    try {
      config = readConfig(deps.env());
    } catch (error) {
      deps.logger.error('configuration invalid', { step: 'config', error: describeError(error) });
      throw new WelcomeError({
        step: 'config',
        errorName: errorName(error),
        action: error instanceof Error ? error.message : undefined,
      });
    }
    const run: RunContext = {
      deps,
      config,
      context,
      signInHost: signInHostResolver(deps, config, context, aliasCache),
    };

    const records: RecordOutcome[] = [];
    const failures: WelcomeError[] = [];
    for (const parsed of parseSnsEvent(event)) {
      if (parsed.kind === 'skip') {
        const { kind: _kind, reason, detail, ...keys } = parsed;
        eventLog(deps.logger, keys).info('event skipped', { outcome: 'skipped', reason, detail });
        records.push({ outcome: 'skipped', reason, ...keys });
        continue;
      }
      const created = parsed.event;
      const keys = {
        eventId: created.eventId,
        snsMessageId: created.snsMessageId,
        userName: created.userName,
      };
      const log = eventLog(deps.logger, keys);
      try {
        const result = await welcomeUser(run, created, log);
        const who = { eventId: created.eventId, userName: created.userName };
        if (result.outcome === 'skipped') {
          const { reason, detail } = result;
          log.info('event skipped', { outcome: 'skipped', reason, detail });
          records.push({ outcome: 'skipped', reason, ...who });
        } else {
          log.info('event done', { outcome: 'welcomed' });
          records.push({ ...result, ...who });
        }
      } catch (error) {
        const failure =
          error instanceof WelcomeError
            ? error
            : new WelcomeError({
                step: 'unexpected',
                errorName: errorName(error),
                userName: created.userName,
                eventId: created.eventId,
              });
        log.error('event failed', {
          outcome: 'failed',
          step: failure.step,
          errorName: failure.errorName,
        });
        failures.push(failure);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new WelcomeBatchError(failures);
    return { records };
  };
}
