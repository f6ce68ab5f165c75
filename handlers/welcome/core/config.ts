/**
 * The function's settings, from the environment the pipeline sets
 * (shared/contract.ts WELCOME_ENV). A bad setting fails every event the same
 * way, so it is reported as a failure (events land in the failure
 * destination and can be replayed once fixed), never as a silent skip.
 */
import { WELCOME_ENV } from '../../../shared/contract';
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
  };
}
