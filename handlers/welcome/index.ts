/**
 * Lambda entry point of the "welcome" function (its queue's event source
 * mapping is the only trigger): wires the module-scope SDK clients, logger and
 * clock into the handler.
 */
import { iam, iamCreate, ses, sesv2, sns, sqs, ssm } from './aws/clients';
import { createWelcomeHandler } from './handler';
import { realSleep } from './core/retry';
import { logger } from './log';

export const handler = createWelcomeHandler({
  iam,
  iamCreate,
  ses,
  sesv2,
  sqs,
  sns,
  ssm,
  logger,
  env: () => process.env,
  sleep: realSleep,
  // Jitter only spreads retries apart; it needs no cryptographic source.
  random: Math.random,
  now: Date.now,
});
