/**
 * A small client of Slack's Web API over the runtime's fetch, for the
 * welcome DM: the bot token from its SSM SecureString, `users.lookupByEmail`,
 * `conversations.open` and `chat.postMessage`.
 *
 * Not @slack/web-api: it brings axios, p-queue and p-retry (hundreds of KB
 * unzipped) into a bundle held under 200 KB zipped (bench/welcome.ts), for
 * three POSTs whose answers core/slack-answer.ts judges anyway.
 *
 * The token is a credential: it is held in memory only, sent in the
 * Authorization header, never logged; errors are reported by name (fetch's
 * own messages can quote the request).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readSecureString } from './aws/secure-string';
import type { SlackAnswer } from './core/slack-answer';

/** Thrown when the token cannot be had; its name is what the log and the notice say. */
export class SlackTokenError extends Error {
  constructor(name: 'ParameterNotFound' | 'ParameterEmpty' | 'NotABotToken' | 'MissingClient') {
    super(name);
    this.name = name;
  }
}

/** A Slack token: `xoxb-` and its kin, printable ASCII without spaces. */
const TOKEN = /^xox[a-z]-[\x21-\x7e]+$/;

/** The bot token from its SecureString parameter. */
export async function readBotToken(
  ssm: SSMClient | undefined,
  parameterName: string,
): Promise<string> {
  if (!ssm) throw new SlackTokenError('MissingClient');
  const token = await readSecureString(ssm, parameterName);
  if (token === undefined) throw new SlackTokenError('ParameterNotFound');
  if (!token) throw new SlackTokenError('ParameterEmpty');
  if (!TOKEN.test(token)) throw new SlackTokenError('NotABotToken');
  return token;
}

/** How long one Slack call may take: three of them fit well inside the function's reserve. */
export const SLACK_API_TIMEOUT_MS = 5_000;

export interface SlackClient {
  readonly fetch: typeof fetch;
  /** e.g. https://slack.com/api, without a trailing slash. */
  readonly baseUrl: string;
  readonly token: string;
  readonly timeoutMs?: number;
}

/**
 * One Web API call, form-encoded: every method takes that, while some reads
 * (users.lookupByEmail) take no JSON body; a list (blocks) goes as a JSON
 * string, as Slack's reference has it. Resolves to Slack's answer whatever it says;
 * rejects only when there was none (a network error, a timeout), with
 * fetch's own error.
 */
export async function callSlack(
  client: SlackClient,
  method: 'users.lookupByEmail' | 'conversations.open' | 'chat.postMessage',
  args: Readonly<Record<string, string>>,
): Promise<SlackAnswer> {
  const response = await client.fetch(`${client.baseUrl}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${client.token}`,
    },
    body: new URLSearchParams(args).toString(),
    signal: AbortSignal.timeout(client.timeoutMs ?? SLACK_API_TIMEOUT_MS),
  });
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    httpStatus: response.status,
    retryAfter: response.headers.get('retry-after'),
    ...(body === undefined ? {} : { body }),
  };
}
