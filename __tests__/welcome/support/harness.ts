/**
 * Runs the welcome handler with the real module-scope SDK clients (intercepted
 * by aws-sdk-client-mock through FakeAws), a recording sleep and seeded jitter.
 */
import type { Context } from 'aws-lambda';
import { iam, iamCreate, ses } from '../../../handlers/welcome/aws/clients';
import {
  createWelcomeHandler,
  type RetrySettings,
  type WelcomeSummary,
} from '../../../handlers/welcome/handler';
import { logger } from '../../../handlers/welcome/log';
import { MANAGED_BY_TAG_VALUE } from '../../../lib/contract';
import { FakeAws, type FakeUser } from './fake-aws';
import { lambdaContext, seededRandom, welcomeEnv } from './events';

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  retry?: RetrySettings;
  random?: () => number;
  /** Runs on every sleep, e.g. to move a fake clock. */
  onSleep?: (ms: number) => void;
}

export interface Harness {
  aws: FakeAws;
  /** Every wait the handler asked for, in order. */
  sleeps: number[];
  invoke: (event: unknown, context?: Context) => Promise<WelcomeSummary>;
}

export function harness(options: HarnessOptions = {}): Harness {
  const aws = new FakeAws().install();
  const sleeps: number[] = [];
  const handler = createWelcomeHandler({
    iam,
    iamCreate,
    ses,
    logger,
    env: () => welcomeEnv(options.env),
    sleep: async (ms) => {
      sleeps.push(ms);
      options.onSleep?.(ms);
      // Yield like a real timer would, so concurrent invocations interleave.
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: options.random ?? seededRandom(7),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return { aws, sleeps, invoke: (event, context = lambdaContext()) => handler(event, context) };
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
