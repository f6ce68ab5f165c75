/**
 * What the function runs with: its injected dependencies (the real SDK
 * clients in index.ts; fast sleeps, a fake clock and seeded jitter in tests),
 * and, per invocation, the settings, the Lambda context and the two
 * per-environment lookups (the sign-in host, the admins' destinations).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { NotifyAdmins } from './core/admin-notice';
import type { WelcomeConfig } from './core/config';
import type { Sleep } from './core/retry';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time kept free at the end of the invocation for the rollback. */
  reserveMs: number;
}

/**
 * For throttled SES sends and IAM creates: at most ~8 s of waiting per step
 * (the sum of the back-off ceilings), well inside the function's 60 s timeout
 * (stacks/welcome-function.ts).
 */
export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  reserveMs: 5_000,
};

export interface WelcomeDeps {
  /** IAM reads, tagging and deletes (SDK retries are fine). */
  iam: IAMClient;
  /** IAM CreateLoginProfile (no SDK retries, see aws/clients.ts). */
  iamCreate: IAMClient;
  ses: SESClient;
  /** SES's account-level suppression list, asked before a password is issued. */
  sesv2: SESv2Client;
  /** The reconcile run queues welcomes with it. */
  sqs: SQSClient;
  /** Admin notices by email (the admins' topic); without it they are logged as not delivered. */
  sns?: SNSClient;
  /** Reads the Slack webhook's SecureString; without it Slack notices are logged as not delivered. */
  ssm?: SSMClient;
  /** Posts to Slack. @default the runtime's fetch */
  fetch?: typeof fetch;
  logger: Logger;
  env: () => NodeJS.ProcessEnv;
  sleep: Sleep;
  random: () => number;
  /** Wall clock, epoch ms (grace period, profile age, the welcomed tag's value). */
  now: () => number;
  retry?: RetrySettings;
}

export interface RunContext {
  deps: WelcomeDeps;
  config: WelcomeConfig;
  context: Context;
  signInHost: () => Promise<string>;
  /** Tells the admins about an outcome; best effort, never throws. */
  notifyAdmins: NotifyAdmins;
}

export function remainingMs(context: Context): number {
  return typeof context.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : Number.POSITIVE_INFINITY;
}
