/**
 * What an answer of Slack's Web API means for a welcome DM. Slack answers
 * most errors with HTTP 200 and `{"ok": false, "error": "..."}`, a rate
 * limit with HTTP 429 and `Retry-After` (seconds) and `error: "ratelimited"`.
 * Each answer ends in one of three ways, never in silence:
 *
 * - `transient`: a rate limit, a server fault, no answer. Retried: in process
 *   when Slack's wait is short, else by failing the record like a failed SES
 *   send (SQS delivers it again);
 * - `no-slack-user`: Slack knows no such person (`users_not_found`), or the
 *   account is deactivated: the person gets the email instead and the
 *   admins a notice naming them and why;
 * - `refused`: the app or its token is wrong (`invalid_auth`,
 *   `missing_scope`, `not_in_channel`, ...): retrying will not help, so the
 *   email goes instead and the notice says what to fix.
 *
 * Pure: the adapter (handlers/welcome/slack-api.ts) hands it the status,
 * the Retry-After header and the parsed body.
 */

export interface SlackAnswer {
  readonly httpStatus: number;
  /** The Retry-After header, as sent. */
  readonly retryAfter?: string | null;
  /** The JSON body; undefined when it was none. */
  readonly body?: unknown;
}

export type SlackVerdict =
  | { readonly kind: 'ok'; readonly body: Record<string, unknown> }
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'no-slack-user'; readonly reason: string; readonly fix: string }
  | { readonly kind: 'refused'; readonly reason: string; readonly fix: string };

/** The scopes the Slack app needs (README "Slack direct messages"). */
export const SLACK_SCOPES = ['users:read', 'users:read.email', 'im:write', 'chat:write'] as const;

const REINSTALL = `give the Slack app the bot scopes ${SLACK_SCOPES.join(', ')}, reinstall it to the workspace, and put its new bot token in the parameter`;

/** Error codes that say the token is no good. */
const BAD_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'no_permission',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Error codes about the person: Slack has no usable account for them. */
const NO_USER = new Set(['users_not_found', 'user_not_found', 'user_disabled', 'user_not_visible']);

/** Error codes about the DM itself: the app cannot open or post to it. */
const NO_DM = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'cannot_dm_bot',
  'restricted_action',
  'messages_tab_disabled',
  'method_not_supported_for_channel_type',
]);

/** Slack's own fault codes: a later try can succeed. */
const SLACK_FAULT = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** The longest Retry-After kept; Slack's are seconds to a minute. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Retry-After (seconds, or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - nowMs, 0), MAX_RETRY_AFTER_MS);
}

/** A code as Slack writes them, for the logs and notices; anything else is not repeated. */
function code(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z0-9_.:]{1,64}$/.test(value) ? value : undefined;
}

/** Scopes named in `needed` (missing_scope), kept only when they look like scopes. */
function neededScopes(body: Record<string, unknown>): string {
  const needed = typeof body.needed === 'string' ? body.needed : '';
  const scopes = needed.split(',').filter((s) => /^[a-z_]+(?::[a-z_.]+)*$/.test(s));
  return scopes.length > 0 ? scopes.join(', ') : SLACK_SCOPES.join(', ');
}

export function judgeSlackAnswer(method: string, answer: SlackAnswer, nowMs: number): SlackVerdict {
  const body =
    typeof answer.body === 'object' && answer.body !== null && !Array.isArray(answer.body)
      ? (answer.body as Record<string, unknown>)
      : undefined;
  const error = code(body?.error);
  if (answer.httpStatus === 429 || error === 'ratelimited' || error === 'rate_limited') {
    const wait = retryAfterMs(answer.retryAfter, nowMs);
    return {
      kind: 'transient',
      reason: `${method}: ratelimited`,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  }
  if (answer.httpStatus >= 500) {
    return { kind: 'transient', reason: `${method}: HTTP ${answer.httpStatus}` };
  }
  if (answer.httpStatus !== 200 || body === undefined) {
    return {
      kind: 'refused',
      reason: `${method}: HTTP ${answer.httpStatus}${body === undefined ? ' without a JSON body' : ''}`,
      fix: 'check that the function reaches https://slack.com/api and that the token is a bot token (xoxb-)',
    };
  }
  if (body.ok === true) return { kind: 'ok', body };
  const reason = `${method}: ${error ?? 'an error without a code'}`;
  if (error !== undefined && SLACK_FAULT.has(error)) return { kind: 'transient', reason };
  if (error !== undefined && NO_USER.has(error)) {
    return {
      kind: 'no-slack-user',
      reason,
      fix:
        error === 'users_not_found'
          ? 'Slack finds no member with their email address: check the address in Slack (or the roster), or set their "channel" to "email"'
          : 'their Slack account is deactivated or hidden from the app: reactivate it, or set their "channel" to "email"',
    };
  }
  if (error === 'missing_scope') {
    return {
      kind: 'refused',
      reason,
      fix: `the Slack app lacks the scope ${neededScopes(body)}: ${REINSTALL}`,
    };
  }
  if (error !== undefined && BAD_TOKEN.has(error)) {
    return {
      kind: 'refused',
      reason,
      fix: `the bot token is not valid (${error}): ${REINSTALL}`,
    };
  }
  if (error !== undefined && NO_DM.has(error)) {
    return {
      kind: 'refused',
      reason,
      fix: `the app cannot message the person (${error}): make sure it has a bot user and the scopes im:write and chat:write, and that the person may receive direct messages from apps`,
    };
  }
  return {
    kind: 'refused',
    reason,
    fix: `look the error up in Slack's documentation of ${method}`,
  };
}
