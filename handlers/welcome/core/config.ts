/**
 * The function's settings, from the environment the pipeline sets
 * (shared/contract.ts WELCOME_ENV). A bad setting fails every message the
 * same way, so it fails the invocation: the messages stay on the queue (and
 * after their last receive in the dead-letter queue, to be redriven once
 * fixed), never a silent skip.
 */
import {
  DELIVERY_CHANNELS,
  type DeliveryChannel,
  UNUSED_PASSWORD_DAYS,
  WELCOME_ENV,
} from '../../../shared/contract';
import { checkAccountAlias, checkMailbox } from '../../../shared/rules';
import { formatMailbox, singleLine } from './text';
import { ssmParameterNameProblem } from '../../../shared/ssm-parameter';

export interface WelcomeConfig {
  /** Header-ready From value. */
  source: string;
  senderIdentityArn?: string;
  accountAlias?: string;
  organisationName: string;
  helpContact: string;
  /** Where the reconcile run queues welcomes; without it a reconcile request fails. */
  welcomeQueueUrl?: string;
  /** Managed people must set up MFA: the email says how. */
  mfaRequired: boolean;
  /** The admins' SNS topic; unset: no email notices. */
  adminTopicArn?: string;
  /** NAME of the SSM SecureString holding the Slack webhook URL; unset: no Slack notices. */
  slackWebhookParameter?: string;
  /** SES configuration set every welcome email is sent with (bounce and complaint events). */
  sesConfigurationSet?: string;
  /** Everyone's channel (settings `delivery.channel`); a person's tag overrides it. */
  deliveryChannel: DeliveryChannel;
  /** NAME of the SSM SecureString holding the Slack bot token; unset: no Slack DMs (the email instead). */
  slackBotTokenParameter?: string;
  /** Slack's Web API base URL: https://slack.com/api, or a local stand-in in tests. */
  slackApiUrl: string;
  /**
   * The deploy role (settings `security.deployRoleArn`): only its TagUser may
   * send a resend to a changed address or to a person who signed in. Unset:
   * every resend is unattributed (core/resend.ts judgeResendAuthority).
   */
  deployRoleArn?: string;
  /**
   * Days an unused temporary password lives (UNUSED_PASSWORD_DAYS), for the
   * date the email gives; unset when expiry is off. A malformed value is left
   * out here and reported by the expiry run, which fails on it: then nothing
   * expires, and the email rightly names no date.
   */
  unusedPasswordDays?: number;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const SES_CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
/** As inputs/settings.ts accepts it: a role ARN with its path, never an sts one. */
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/[\x21-\x7e]{1,576}$/;

/** The notification and feedback settings (all optional); a malformed one is a FunctionEnvironmentError. */
function readNotificationConfig(
  env: NodeJS.ProcessEnv,
): Pick<WelcomeConfig, 'adminTopicArn' | 'slackWebhookParameter' | 'sesConfigurationSet'> {
  const topic = env[WELCOME_ENV.adminTopicArn]?.trim();
  if (topic && !SNS_TOPIC_ARN.test(topic)) {
    throw new FunctionEnvironmentError(`${WELCOME_ENV.adminTopicArn} is not an SNS topic ARN`);
  }
  const parameter = env[WELCOME_ENV.slackWebhookParameter]?.trim();
  // Never echoed: someone may have put the webhook URL itself here.
  if (parameter && ssmParameterNameProblem(parameter) !== undefined) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.slackWebhookParameter} is not an SSM parameter name`,
    );
  }
  const configurationSet = env[WELCOME_ENV.sesConfigurationSet]?.trim();
  if (configurationSet && !SES_CONFIGURATION_SET.test(configurationSet)) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.sesConfigurationSet} is not an SES configuration set name`,
    );
  }
  return {
    ...(topic ? { adminTopicArn: topic } : {}),
    ...(parameter ? { slackWebhookParameter: parameter } : {}),
    ...(configurationSet ? { sesConfigurationSet: configurationSet } : {}),
  };
}

/** Where Slack's Web API answers; only tests point it elsewhere (WELCOME_ENV.slackApiUrl). */
export const SLACK_API_URL = 'https://slack.com/api';

/** The Slack DM settings; a malformed one is a FunctionEnvironmentError, never echoed. */
function readSlackConfig(
  env: NodeJS.ProcessEnv,
): Pick<WelcomeConfig, 'deliveryChannel' | 'slackBotTokenParameter' | 'slackApiUrl'> {
  const channel = env[WELCOME_ENV.deliveryChannel]?.trim() || 'email';
  if (!(DELIVERY_CHANNELS as readonly string[]).includes(channel)) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.deliveryChannel} must be one of ${DELIVERY_CHANNELS.join(', ')}`,
    );
  }
  const parameter = env[WELCOME_ENV.slackBotTokenParameter]?.trim();
  // Never echoed: someone may have put the token itself here.
  if (parameter && ssmParameterNameProblem(parameter) !== undefined) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.slackBotTokenParameter} is not an SSM parameter name`,
    );
  }
  const apiUrl = env[WELCOME_ENV.slackApiUrl]?.trim() || SLACK_API_URL;
  // The token travels to this address: https, or plain http to this host only (a test's stand-in).
  if (
    !/^(?:https:\/\/[^\s/]+|http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)(?:\/\S*)?$/.test(
      apiUrl,
    )
  ) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.slackApiUrl} must be an https URL (or http on the loopback address, for tests)`,
    );
  }
  return {
    deliveryChannel: channel as DeliveryChannel,
    ...(parameter ? { slackBotTokenParameter: parameter } : {}),
    slackApiUrl: apiUrl.replace(/\/+$/, ''),
  };
}

/**
 * The function's environment is wrong (a variable missing or malformed), so
 * every message fails the same way until a deploy fixes it. Not the build's
 * BuildEnvironmentError (inputs/errors.ts).
 */
export class FunctionEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionEnvironmentError';
  }
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || singleLine(value) === '') {
    throw new FunctionEnvironmentError(`environment variable ${name} is not set`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): WelcomeConfig {
  // The reasons name what is wrong without the value: these messages are logged.
  const sender = checkMailbox(required(env, WELCOME_ENV.senderAddress));
  if (!sender.ok) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.senderAddress} is not one address ("addr@example.com" or "Name <addr@example.com>"): ${sender.reason}`,
    );
  }
  const alias = env[WELCOME_ENV.accountAlias]?.trim();
  const aliasVerdict = alias ? checkAccountAlias(alias) : undefined;
  if (aliasVerdict && !aliasVerdict.ok) {
    throw new FunctionEnvironmentError(
      `${WELCOME_ENV.accountAlias} is not a valid IAM account alias: ${aliasVerdict.reason}`,
    );
  }
  const identityArn = env[WELCOME_ENV.senderIdentityArn]?.trim();
  const deployRole = env[WELCOME_ENV.deployRoleArn]?.trim();
  // A malformed value would hold every resend without a word: fail instead.
  if (deployRole && !ROLE_ARN.test(deployRole)) {
    throw new FunctionEnvironmentError(`${WELCOME_ENV.deployRoleArn} is not an IAM role ARN`);
  }
  const queueUrl = env[WELCOME_ENV.welcomeQueueUrl]?.trim();
  return {
    source: formatMailbox(sender.address, sender.displayName),
    ...(identityArn ? { senderIdentityArn: identityArn } : {}),
    ...(alias ? { accountAlias: alias } : {}),
    organisationName: singleLine(required(env, WELCOME_ENV.organisationName), 100),
    helpContact: singleLine(required(env, WELCOME_ENV.helpContact), 200),
    ...(queueUrl ? { welcomeQueueUrl: queueUrl } : {}),
    mfaRequired: env[WELCOME_ENV.requireMfa]?.trim() === 'true',
    ...(deployRole ? { deployRoleArn: deployRole } : {}),
    ...readNotificationConfig(env),
    ...readSlackConfig(env),
    ...expiryDays(env),
  };
}

function expiryDays(env: NodeJS.ProcessEnv): Pick<WelcomeConfig, 'unusedPasswordDays'> {
  try {
    const days = readUnusedPasswordDays(env);
    return days === undefined ? {} : { unusedPasswordDays: days };
  } catch {
    return {};
  }
}

/**
 * The function's limit (UNUSED_PASSWORD_DAYS): undefined when unset (the
 * expiry is off); a value outside the settings' bounds is a FunctionEnvironmentError.
 */
export function readUnusedPasswordDays(env: NodeJS.ProcessEnv): number | undefined {
  const name = WELCOME_ENV.unusedPasswordDays;
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < UNUSED_PASSWORD_DAYS.min || days > UNUSED_PASSWORD_DAYS.max) {
    throw new FunctionEnvironmentError(
      `${name} must be a whole number of days from ${UNUSED_PASSWORD_DAYS.min} to ${UNUSED_PASSWORD_DAYS.max}`,
    );
  }
  return days;
}
