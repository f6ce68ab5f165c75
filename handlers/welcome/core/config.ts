/**
 * The function's settings, from the environment the pipeline sets
 * (shared/contract.ts WELCOME_ENV). A bad setting fails every event the same
 * way, so it is reported as a failure (events land in the failure
 * destination and can be replayed once fixed), never as a silent skip.
 */
import { WELCOME_ENV } from '../../../shared/contract';
import { ssmParameterNameProblem } from '../../../shared/ssm-parameter';
import { isAccountAlias } from './signin';
import { formatMailbox, parseMailbox, singleLine } from './text';

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
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const SES_CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;

/** The notification and feedback settings (all optional); a malformed one is a ConfigError. */
function readNotificationConfig(
  env: NodeJS.ProcessEnv,
): Pick<WelcomeConfig, 'adminTopicArn' | 'slackWebhookParameter' | 'sesConfigurationSet'> {
  const topic = env[WELCOME_ENV.adminTopicArn]?.trim();
  if (topic && !SNS_TOPIC_ARN.test(topic)) {
    throw new ConfigError(`${WELCOME_ENV.adminTopicArn} is not an SNS topic ARN`);
  }
  const parameter = env[WELCOME_ENV.slackWebhookParameter]?.trim();
  // Never echoed: someone may have put the webhook URL itself here.
  if (parameter && ssmParameterNameProblem(parameter) !== undefined) {
    throw new ConfigError(`${WELCOME_ENV.slackWebhookParameter} is not an SSM parameter name`);
  }
  const configurationSet = env[WELCOME_ENV.sesConfigurationSet]?.trim();
  if (configurationSet && !SES_CONFIGURATION_SET.test(configurationSet)) {
    throw new ConfigError(
      `${WELCOME_ENV.sesConfigurationSet} is not an SES configuration set name`,
    );
  }
  return {
    ...(topic ? { adminTopicArn: topic } : {}),
    ...(parameter ? { slackWebhookParameter: parameter } : {}),
    ...(configurationSet ? { sesConfigurationSet: configurationSet } : {}),
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || singleLine(value) === '') {
    throw new ConfigError(`environment variable ${name} is not set`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): WelcomeConfig {
  const sender = parseMailbox(required(env, WELCOME_ENV.senderAddress));
  if (!sender) {
    throw new ConfigError(
      `${WELCOME_ENV.senderAddress} is not one address ("addr@example.com" or "Name <addr@example.com>")`,
    );
  }
  const alias = env[WELCOME_ENV.accountAlias]?.trim();
  if (alias !== undefined && alias !== '' && !isAccountAlias(alias)) {
    throw new ConfigError(`${WELCOME_ENV.accountAlias} is not a valid IAM account alias`);
  }
  const identityArn = env[WELCOME_ENV.senderIdentityArn]?.trim();
  const queueUrl = env[WELCOME_ENV.welcomeQueueUrl]?.trim();
  return {
    source: formatMailbox(sender.address, sender.displayName),
    ...(identityArn ? { senderIdentityArn: identityArn } : {}),
    ...(alias ? { accountAlias: alias } : {}),
    organisationName: singleLine(required(env, WELCOME_ENV.organisationName), 100),
    helpContact: singleLine(required(env, WELCOME_ENV.helpContact), 200),
    ...(queueUrl ? { welcomeQueueUrl: queueUrl } : {}),
    mfaRequired: env[WELCOME_ENV.requireMfa]?.trim() === 'true',
    ...readNotificationConfig(env),
  };
}
