/**
 * Runs the welcome handler with the real module-scope SDK clients (intercepted
 * by aws-sdk-client-mock through FakeAws), a recording sleep and seeded jitter.
 */
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { iam, iamCreate, ses, sns, sqs, ssm } from '../../handlers/welcome/aws/clients';
import {
  createWelcomeHandler,
  type RetrySettings,
  type WelcomeSummary,
} from '../../handlers/welcome/handler';
import { logger } from '../../handlers/welcome/log';
import { MANAGED_BY_TAG_VALUE } from '../../shared/contract';
import { FakeAws, type FakeUser } from './fake-aws';
import { lambdaContext, seededRandom, welcomeEnv } from './welcome-events';

/** The harness clock starts here: two hours after OLD_EVENT_TIME. */
export const HARNESS_START = Date.parse('2025-01-01T12:00:00Z');

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  retry?: RetrySettings;
  random?: () => number;
  /** Runs on every sleep, e.g. to move a fake clock. */
  onSleep?: (ms: number) => void;
  /** Stands in for the runtime's fetch (Slack notices). @default one that fails every call */
  fetch?: typeof fetch;
}

export interface Harness {
  aws: FakeAws;
  /** Every wait the handler asked for, in order. */
  sleeps: number[];
  /** The handler's and IAM's clock (epoch ms); sleeps move it forward. */
  clock: { now: number };
  /** An ISO time `msAgo` before the clock: a fresh event's eventTime. */
  ago: (msAgo: number) => string;
  /** Invokes with an SNS (old trigger) or other non-SQS event: a summary, or a throw. */
  invoke: (event: unknown, context?: Context) => Promise<WelcomeSummary>;
  /** Invokes with an SQS event: the batch response. */
  invokeSqs: (event: unknown, context?: Context) => Promise<SQSBatchResponse>;
}

export function harness(options: HarnessOptions = {}): Harness {
  const aws = new FakeAws().install();
  const sleeps: number[] = [];
  const clock = { now: HARNESS_START };
  aws.now = () => clock.now;
  const handler = createWelcomeHandler({
    iam,
    iamCreate,
    ses,
    sqs,
    sns,
    ssm,
    // No test reaches the network: an unexpected post fails like an unreachable host.
    fetch: options.fetch ?? (() => Promise.reject(new TypeError('fetch failed (test)'))),
    logger,
    env: () => welcomeEnv(options.env),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
      options.onSleep?.(ms);
      // Yield like a real timer would, so concurrent invocations interleave.
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: options.random ?? seededRandom(7),
    now: () => clock.now,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return {
    aws,
    sleeps,
    clock,
    ago: (msAgo) => new Date(clock.now - msAgo).toISOString(),
    invoke: async (event, context = lambdaContext()) => {
      const result = await handler(event, context);
      if (!('records' in result)) throw new Error('expected a summary (SNS), got a batch response');
      return result;
    },
    invokeSqs: async (event, context = lambdaContext()) => {
      const result = await handler(event, context);
      if (!('batchItemFailures' in result)) throw new Error('expected a batch response (SQS)');
      expect(Object.keys(result)).toEqual(['batchItemFailures']);
      return result;
    },
  };
}

/** A user as the roster stack creates it: managed path and tags. */
export function addManagedUser(
  aws: FakeAws,
  userName: string,
  extra: { email?: string | null; displayName?: string; userId?: string; path?: string } = {},
): FakeUser {
  const tags = [
    { Key: 'managed-by', Value: MANAGED_BY_TAG_VALUE },
    { Key: 'team', Value: 'platform' },
    { Key: 'cost-centre', Value: 'cc-42' },
  ];
  if (extra.email !== null)
    tags.push({ Key: 'email', Value: extra.email ?? `${userName}@example.com` });
  if (extra.displayName !== undefined) tags.push({ Key: 'display-name', Value: extra.displayName });
  return aws.addUser({
    userName,
    userId: extra.userId ?? `AIDA${userName.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
    path: extra.path ?? '/iam-onboarding/',
    tags,
  });
}
