/**
 * The reconcile request (from the hourly schedule): list the managed users
 * and queue a welcome for each one never welcomed, and a resend for each one
 * whose resend counter is above the value served (its TagUser event was
 * missed). Each queued request then takes the exactly-once path, so a run
 * that repeats (a redelivery) queues duplicates that send nothing twice.
 */
import { WELCOME_ENV } from '../../shared/contract';
import { queueResend, queueWelcome, reconcileUsers } from './aws/users';
import { FunctionEnvironmentError } from './core/config';
import { errorName, RecordError } from './core/errors';
import type { RunContext } from './run-context';
import type { EventLog } from './log';

export async function runReconcile(run: RunContext, log: EventLog): Promise<{ queued: number }> {
  const { deps, config } = run;
  const queueUrl = config.welcomeQueueUrl;
  if (!queueUrl) {
    const missing = new FunctionEnvironmentError(
      `${WELCOME_ENV.welcomeQueueUrl} is not set: deploy the current stack`,
    );
    throw new RecordError({
      step: 'reconcile',
      errorName: errorName(missing),
      action: missing.message,
    });
  }
  try {
    const { report } = await reconcileUsers(deps.iam, { nowMs: deps.now() });
    log.info('step done', { step: 'reconcile', outcome: 'listed', ...report.counts });
    for (const user of report.toWelcome) {
      await queueWelcome(deps.sqs, queueUrl, user, 'reconcile');
      log.info('step done', { step: 'reconcile', outcome: 'queued', userName: user.userName });
    }
    for (const user of report.toResend) {
      await queueResend(deps.sqs, queueUrl, user, 'reconcile');
      log.info('step done', {
        step: 'reconcile',
        outcome: 'queued-resend',
        userName: user.userName,
      });
    }
    return { queued: report.toWelcome.length + report.toResend.length };
  } catch (error) {
    log.error('step failed', { step: 'reconcile', outcome: 'error', errorName: errorName(error) });
    throw new RecordError({ step: 'reconcile', errorName: errorName(error) });
  }
}
