/**
 * The welcome as a Slack direct message (channel `slack` or
 * `email-and-slack`), in the two halves flow.ts issuePassword calls:
 *
 * - findSlackUser, before any password exists: the bot token (its SSM
 *   SecureString, read once per execution environment) and
 *   `users.lookupByEmail` with the person's address. A person Slack does not
 *   know, or a token or app that is wrong, gets the email instead (and the
 *   admins a notice); a rate limit or fault Slack does not outlast fails the
 *   record before anything was issued, and SQS delivers it again;
 * - postWelcomeDm, once the login profile exists: `conversations.open` and
 *   `chat.postMessage`. What its verdict leads to (roll back and retry, the
 *   email instead, a notice) is flow.ts's, by the same exactly-once rules as
 *   the email's send.
 *
 * A rate limit is waited out in process when Slack's Retry-After is short
 * (SHORT_WAIT_MS) and the invocation has the time; otherwise it is a
 * transient failure. Nothing here logs the token, the password or the body.
 */
import type { DeliveryChannel } from '../../shared/contract';
import { backoffDelay } from './core/retry';
import { judgeSlackAnswer, type SlackVerdict } from './core/slack-answer';
import type { WelcomeSlackMessage } from './core/slack-message';
import type { EventLog } from './log';
import { DEFAULT_RETRY, remainingMs, type RunContext } from './run-context';
import { callSlack, readBotToken, SlackTokenError } from './slack-api';

/** What the Slack half needs of a user's run (a subset of flow.ts UserRun). */
export interface SlackRun extends Pick<RunContext, 'deps' | 'config' | 'context'> {
  readonly userName: string;
  readonly log: EventLog;
}

/** Slack's Retry-After this short is waited in process; longer, the record is retried later. */
export const SHORT_WAIT_MS = 10_000;
/** Attempts of one Slack call, the first included. */
export const SLACK_ATTEMPTS = 3;

/** Why the DM is not sent, and what would mend it: the email goes instead. */
export interface SlackUnavailable {
  readonly reason: string;
  readonly fix: string;
}

/** A Slack answer no retry outlasted (rate limit, fault, no answer): the record fails. */
export class SlackTransientError extends Error {
  constructor(
    readonly reason: string,
    /** No answer to a postMessage: the DM may have gone. */
    readonly maybeSent: boolean,
  ) {
    super(reason);
    this.name = reason.endsWith('ratelimited') ? 'SlackRateLimited' : 'SlackUnavailable';
  }
}

/** The bot token, kept for the life of the execution environment (one per handler's deps). */
const tokens = new WeakMap<object, string>();

async function token(r: SlackRun): Promise<string | SlackUnavailable> {
  const parameter = r.config.slackBotTokenParameter;
  if (parameter === undefined) {
    return {
      reason: 'no bot token configured',
      fix: 'set delivery.slackBotTokenParameter in the settings and deploy',
    };
  }
  const cached = tokens.get(r.deps);
  if (cached !== undefined) return cached;
  try {
    const value = await readBotToken(r.deps.ssm, parameter);
    tokens.set(r.deps, value);
    return value;
  } catch (error) {
    if (!(error instanceof SlackTokenError)) throw error;
    return {
      reason: `bot token parameter: ${error.name}`,
      fix:
        `put the Slack app's bot token (xoxb-) in the SSM SecureString ${parameter} ` +
        '(README "Slack direct messages", Terraform output slack_bot_token_put_command)',
    };
  }
}

/**
 * One call, with its rate limits and faults retried while Slack's wait is
 * short and the invocation has time; resolves to the last verdict. No answer
 * at all (a network error, the timeout) is a transient verdict too.
 */
async function call(
  r: SlackRun,
  botToken: string,
  method: Parameters<typeof callSlack>[1],
  args: Readonly<Record<string, string>>,
): Promise<SlackVerdict & { noAnswer?: true }> {
  const { deps, config, context } = r;
  const reserveMs = (deps.retry ?? DEFAULT_RETRY).reserveMs;
  for (let attempt = 1; ; attempt += 1) {
    let verdict: SlackVerdict & { noAnswer?: true };
    try {
      const answer = await callSlack(
        { fetch: deps.fetch ?? fetch, baseUrl: config.slackApiUrl, token: botToken },
        method,
        args,
      );
      verdict = judgeSlackAnswer(method, answer, deps.now());
    } catch (error) {
      // The name only: fetch's messages and causes can quote the request.
      const name = (error as { name?: unknown } | null)?.name;
      verdict = {
        kind: 'transient',
        reason: `${method}: no answer (${typeof name === 'string' ? name : 'error'})`,
        noAnswer: true,
      };
    }
    if (verdict.kind !== 'transient' || attempt >= SLACK_ATTEMPTS) return verdict;
    const waitMs =
      verdict.retryAfterMs ??
      backoffDelay(attempt, { baseDelayMs: 500, maxDelayMs: 4_000, random: deps.random });
    if (waitMs > SHORT_WAIT_MS || remainingMs(context) - waitMs < reserveMs) return verdict;
    r.log.warn('refused for now, retrying', {
      step: method === 'users.lookupByEmail' ? 'slack-lookup' : 'send-slack',
      outcome: 'slack-transient',
      reason: verdict.reason,
      attempt,
      delayMs: waitMs,
    });
    await deps.sleep(waitMs);
  }
}

/** A verdict that is no answer for the DM: the token is dropped when Slack says it is bad. */
function unavailable(
  r: SlackRun,
  verdict: Exclude<SlackVerdict, { kind: 'ok' | 'transient' }>,
): SlackUnavailable {
  if (verdict.kind === 'refused') tokens.delete(r.deps);
  return { reason: verdict.reason, fix: verdict.fix };
}

/** The person's Slack user, found by their address; or why the email goes instead. */
export async function findSlackUser(
  r: SlackRun,
  email: string,
): Promise<{ userId: string } | SlackUnavailable> {
  const botToken = await token(r);
  if (typeof botToken !== 'string') return botToken;
  const verdict = await call(r, botToken, 'users.lookupByEmail', { email });
  if (verdict.kind === 'transient') throw new SlackTransientError(verdict.reason, false);
  if (verdict.kind !== 'ok') return unavailable(r, verdict);
  const user = verdict.body.user as
    { id?: unknown; deleted?: unknown; is_bot?: unknown } | undefined;
  const id = user?.id;
  if (typeof id !== 'string' || !/^[UW][A-Z0-9]{2,30}$/.test(id)) {
    return {
      reason: 'users.lookupByEmail: no user ID in the answer',
      fix: 'check the Slack workspace',
    };
  }
  if (user?.deleted === true || user?.is_bot === true) {
    return {
      reason: 'users.lookupByEmail: the account is deactivated',
      fix: 'their Slack account is deactivated: reactivate it, or set their "channel" to "email"',
    };
  }
  return { userId: id };
}

/** What became of the DM: its timestamp, a transient failure, or why Slack will not take it. */
export type DmResult =
  | { readonly sent: true; readonly ts?: string }
  | { readonly sent: false; readonly transient: SlackTransientError }
  | { readonly sent: false; readonly unavailable: SlackUnavailable };

/** Opens the DM with the person and posts the welcome to it. */
export async function postWelcomeDm(
  r: SlackRun,
  userId: string,
  message: WelcomeSlackMessage,
): Promise<DmResult> {
  const botToken = await token(r);
  if (typeof botToken !== 'string') return { sent: false, unavailable: botToken };
  const opened = await call(r, botToken, 'conversations.open', { users: userId });
  if (opened.kind === 'transient') {
    return { sent: false, transient: new SlackTransientError(opened.reason, false) };
  }
  if (opened.kind !== 'ok') return { sent: false, unavailable: unavailable(r, opened) };
  const channel = (opened.body.channel as { id?: unknown } | undefined)?.id;
  if (typeof channel !== 'string' || !/^[A-Z0-9]{3,30}$/.test(channel)) {
    return {
      sent: false,
      unavailable: {
        reason: 'conversations.open: no channel ID in the answer',
        fix: 'check the Slack app',
      },
    };
  }
  const posted = await call(r, botToken, 'chat.postMessage', {
    channel,
    text: message.text,
    blocks: JSON.stringify(message.blocks),
    // The message is the app's own words: Slack must not unfurl anything in it,
    // nor turn a name into a mention (the values are escaped besides).
    unfurl_links: 'false',
    unfurl_media: 'false',
    link_names: 'false',
  });
  if (posted.kind === 'transient') {
    // No answer at all: Slack may have posted it. A refusal (429, ok:false) posted nothing.
    return {
      sent: false,
      transient: new SlackTransientError(posted.reason, posted.noAnswer === true),
    };
  }
  if (posted.kind !== 'ok') return { sent: false, unavailable: unavailable(r, posted) };
  const ts = posted.body.ts;
  return typeof ts === 'string' && /^\d+\.\d+$/.test(ts) ? { sent: true, ts } : { sent: true };
}

/** The channel a person's welcome takes: their tag's, else everyone's. */
export function channelFor(
  own: DeliveryChannel | undefined,
  config: Pick<RunContext['config'], 'deliveryChannel'>,
): DeliveryChannel {
  return own ?? config.deliveryChannel;
}
