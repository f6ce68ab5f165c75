/**
 * Runs the welcome handler with the real module-scope SDK clients (intercepted
 * by aws-sdk-client-mock through FakeAws), a recording sleep and seeded jitter.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { iam, iamCreate, ses, sesv2, sns, sqs, ssm } from '../../handlers/welcome/aws/clients';
import {
  createWelcomeHandler,
  type RecordOutcome,
  type RecordResult,
  type RetrySettings,
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
  /**
   * Invokes with an SQS event: each record's outcome in order, or the first
   * failed record's error thrown (each failed record checked to be in the
   * batch response's failures, and only those).
   */
  invoke: (event: unknown, context?: Context) => Promise<{ records: RecordOutcome[] }>;
  /** Invokes with an SQS event: the batch response. */
  invokeSqs: (event: unknown, context?: Context) => Promise<SQSBatchResponse>;
}

export function harness(options: HarnessOptions = {}): Harness {
  const aws = new FakeAws().install();
  const sleeps: number[] = [];
  const clock = { now: HARNESS_START };
  aws.now = () => clock.now;
  const results = new Map<object, RecordResult>();
  const handler = createWelcomeHandler(
    {
      iam,
      iamCreate,
      ses,
      sesv2,
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
    },
    { observe: (record, result) => results.set(record, result) },
  );
  /** Runs one invocation; its records are copied, so that each result is this call's. */
  const call = async (event: unknown, context: Context) => {
    const records = (event as { Records?: unknown } | undefined)?.Records;
    const copies = Array.isArray(records) ? records.map((r) => ({ ...(r as object) })) : [];
    const sent = Array.isArray(records) ? { ...(event as object), Records: copies } : event;
    const response = await handler(sent as SQSEvent, context);
    expect(Object.keys(response)).toEqual(['batchItemFailures']);
    const ran = copies.map((record) => ({
      messageId: (record as { messageId?: string }).messageId,
      result: results.get(record),
    }));
    return { response, ran };
  };
  return {
    aws,
    sleeps,
    clock,
    ago: (msAgo) => new Date(clock.now - msAgo).toISOString(),
    invoke: async (event, context = lambdaContext()) => {
      const { response, ran } = await call(event, context);
      const failed = ran.filter((r) => r.result?.outcome === 'failed');
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
        failed.map((f) => f.messageId),
      );
      const first = failed[0]?.result;
      if (first?.outcome === 'failed') throw first.error;
      return { records: ran.map((r) => r.result as RecordOutcome) };
    },
    invokeSqs: async (event, context = lambdaContext()) => (await call(event, context)).response,
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
