/**
 * The function's settings, from the environment the pipeline sets
 * (shared/contract.ts WELCOME_ENV). A bad setting fails every event the same
 * way, so it is reported as a failure (events land in the failure
 * destination and can be replayed once fixed), never as a silent skip.
 */
import { WELCOME_ENV } from '../../../shared/contract';
import { checkAccountAlias, checkMailbox } from '../../../shared/rules';
import { formatMailbox, singleLine } from './text';

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

/**
 * The function's environment is wrong (a variable missing or malformed), so
 * every event fails the same way until a deploy fixes it. Not the build's
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
