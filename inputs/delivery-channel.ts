/**
 * How people receive their sign-in (settings `delivery.channel`, a person's
 * own `channel` in the roster): the email, a Slack direct message, or both.
 * A Slack DM needs the bot token, which the admin keeps in SSM Parameter
 * Store as a SecureString: the settings hold only the parameter's NAME
 * (`delivery.slackBotTokenParameter`), so the token never enters the
 * repository, Terraform state or plans. The same design as the webhook's
 * (inputs/notifications.ts).
 */
import { z } from 'zod';
import { DELIVERY_CHANNELS, type DeliveryChannel, usesSlack } from '../shared/contract';
import { ssmParameterNameProblem } from '../shared/ssm-parameter';
import { looksLikeUrl, SECRET_NOT_SHOWN } from './notifications';
import type { CrossProblem } from './validate';

/** Suggested (not default) name of the bot token's parameter. */
export const SUGGESTED_BOT_TOKEN_PARAMETER = '/iam-onboarding/slack-bot-token';

/** What is shown instead of a pasted token in a problem report. */
export const TOKEN_NOT_SHOWN = '(a Slack token: not repeated here, it is a secret)';

/** A Slack token (bot `xoxb-`, user `xoxp-`, app `xapp-`, ...), pasted where its parameter's name goes. */
export function looksLikeSlackToken(value: string): boolean {
  return /^\s*(?:xox[a-z]-|xapp-)/i.test(value);
}

export const channelSchema = z.enum(DELIVERY_CHANNELS, {
  error: (issue) =>
    issue.input === undefined
      ? `is required: one of ${DELIVERY_CHANNELS.map((c) => `"${c}"`).join(', ')}`
      : `must be one of ${DELIVERY_CHANNELS.map((c) => `"${c}"`).join(', ')}`,
});

export const botTokenParameterSchema = z
  .string({
    error: `must be the NAME of an SSM parameter such as "${SUGGESTED_BOT_TOKEN_PARAMETER}"`,
  })
  .superRefine((name, ctx) => {
    // A pasted token or URL is reported by deliveryChannelProblems, without echoing it.
    if (looksLikeSlackToken(name) || looksLikeUrl(name)) return;
    const problem = ssmParameterNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** A known channel that sends Slack DMs; anything else is the schema's to report. */
function isSlackChannel(v: unknown): v is DeliveryChannel {
  return (
    typeof v === 'string' &&
    (DELIVERY_CHANNELS as readonly string[]).includes(v) &&
    usesSlack(v as DeliveryChannel)
  );
}

/**
 * The settings' checks the schema leaves to this module: a token or a URL
 * where the parameter's name goes (named, never repeated: problem reports go
 * to CI logs and pull-request annotations), and a Slack default without the
 * parameter.
 */
export function deliveryChannelProblems(root: Record<string, unknown> | undefined): CrossProblem[] {
  const delivery = record(root?.delivery);
  if (!delivery) return [];
  const out: CrossProblem[] = [];
  const name = delivery.slackBotTokenParameter;
  const path = ['delivery', 'slackBotTokenParameter'];
  const fix =
    `this field takes the NAME of the SSM parameter that holds the bot token (e.g. "${SUGGESTED_BOT_TOKEN_PARAMETER}"). ` +
    'Remove it from this file (and from its history if it was committed: rotate it in Slack), then store it with ' +
    '`aws ssm put-parameter --type SecureString` (README "Slack direct messages")';
  if (typeof name === 'string' && looksLikeSlackToken(name)) {
    out.push({ path, message: `is a Slack token, but ${fix}`, value: TOKEN_NOT_SHOWN });
  } else if (typeof name === 'string' && looksLikeUrl(name)) {
    out.push({ path, message: `is a URL, but ${fix}`, value: SECRET_NOT_SHOWN });
  }
  const channel = delivery.channel;
  if (isSlackChannel(channel) && name === undefined) {
    out.push({
      path: ['delivery', 'channel'],
      message: `is "${channel}", which sends Slack direct messages, but delivery.slackBotTokenParameter is not set: name the SSM parameter that holds the bot token (e.g. "${SUGGESTED_BOT_TOKEN_PARAMETER}"), or choose "email"`,
    });
  }
  return out;
}

/** What the roster's check needs to know of the settings. */
export interface RosterDeliveryOptions {
  /** The settings name a bot token parameter: Slack DMs can be sent. */
  readonly slackConfigured: boolean;
  /** settings `delivery.channel`. @default "email" */
  readonly defaultChannel?: DeliveryChannel;
}

/** People whose `channel` needs Slack while the settings name no bot token. */
export function rosterChannelProblems(
  raw: unknown,
  options: RosterDeliveryOptions | undefined,
): CrossProblem[] {
  if (!options || options.slackConfigured) return [];
  const users = record(raw)?.users;
  if (!Array.isArray(users)) return [];
  return users.flatMap((u, i): CrossProblem[] => {
    const channel = record(u)?.channel;
    if (!isSlackChannel(channel)) return [];
    return [
      {
        path: ['users', i, 'channel'],
        message: `is "${channel}", which sends a Slack direct message, but the settings' delivery.slackBotTokenParameter is not set: name the bot token's SSM parameter there, or choose "email"`,
      },
    ];
  });
}
