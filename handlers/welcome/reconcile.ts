/**
 * The reconcile request (from the hourly schedule): list the managed users
 * and queue a welcome for each one never welcomed, and a resend for each one
 * whose resend counter is above the value served (its TagUser event was
 * missed). Each queued request then takes the exactly-once path, so a run
 * that repeats (a redelivery) queues duplicates that send nothing twice.
 *
 * It is also the function's regular pass over suspensions and end dates
 * (lifecycle-run.ts, with the end-date warnings on): the schedule that
 * always runs (expiry can be turned off), at least daily, and it reads every
 * managed person's tags already. First, so that a person it suspends or
 * reinstates is not queued a welcome or resend in the same run. Each
 * decision is idempotent (the function's own tags record what it did), so
 * the hourly runs act once per change and warn once per end date. A person
 * whose step fails does not stop the others; the run then fails, and its
 * redelivery finds the done work done.
 */
import { WELCOME_ENV } from '../../shared/contract';
import { queueResend, queueWelcome, type ReconciledUser, reconcileUsers } from './aws/users';
import { lifecycleDeps } from './lifecycle-event';
import { type LifecycleOutcome, runLifecycle } from './lifecycle-run';
import { FunctionEnvironmentError } from './core/config';
import { errorName, RecordError } from './core/errors';
import type { RunContext } from './run-context';
import type { EventLog } from './log';

/** A reconcile run's result: how many it queued, and its lifecycle pass's counts. */
export type ReconcileOutcome = {
  readonly outcome: 'reconciled';
  readonly queued: number;
  readonly lifecycle: LifecycleCounts;
};

export async function runReconcile(run: RunContext, log: EventLog): Promise<ReconcileOutcome> {
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
  let queued = 0;
  let lifecycleFailed = 0;
  let lifecycle: LifecycleCounts = {};
  try {
    const { report, states } = await reconcileUsers(deps.iam, { nowMs: deps.now() });
    log.info('step done', { step: 'reconcile', outcome: 'listed', ...report.counts });
    const pass = await lifecyclePass(run, log, states);
    lifecycle = pass.counts;
    lifecycleFailed = pass.failed;
    const toWelcome = report.toWelcome.filter((u) => !pass.handled.has(u.userName));
    const toResend = report.toResend.filter((u) => !pass.handled.has(u.userName));
    for (const user of toWelcome) {
      await queueWelcome(deps.sqs, queueUrl, user, 'reconcile');
      log.info('step done', { step: 'reconcile', outcome: 'queued', userName: user.userName });
    }
    for (const user of toResend) {
      await queueResend(deps.sqs, queueUrl, user, 'reconcile');
      log.info('step done', {
        step: 'reconcile',
        outcome: 'queued-resend',
        userName: user.userName,
      });
    }
    queued = toWelcome.length + toResend.length;
  } catch (error) {
    log.error('step failed', { step: 'reconcile', outcome: 'error', errorName: errorName(error) });
    throw new RecordError({ step: 'reconcile', errorName: errorName(error) });
  }
  if (lifecycleFailed > 0) {
    // After the queuing: the others were served; the redelivery retries the rest.
    throw new RecordError({
      step: 'lifecycle',
      errorName: 'LifecycleFailed',
      action: `${lifecycleFailed} person(s) could not be suspended, reinstated or warned (see the "step failed" lines); the next delivery tries again`,
    });
  }
  return { outcome: 'reconciled', queued, lifecycle };
}

/** How many people the lifecycle pass left in each outcome (none counted only in the logs). */
export type LifecycleCounts = Partial<Record<Exclude<LifecycleOutcome, 'none'>, number>>;

/** Outcomes after which the same run queues nothing for the person: it just acted, or must not. */
const HANDLED: ReadonlySet<LifecycleOutcome> = new Set([
  'suspended',
  'reinstated',
  'not-reinstated',
  'gone',
]);

async function lifecyclePass(
  run: RunContext,
  log: EventLog,
  states: readonly ReconciledUser[],
): Promise<{
  counts: LifecycleCounts;
  failed: number;
  handled: Set<string>;
}> {
  const counts: LifecycleCounts = {};
  const handled = new Set<string>();
  let failed = 0;
  const deps = lifecycleDeps(run, log, 'reconcile-request', true);
  for (const { user, state, tags } of states) {
    // Only people the function may act on, whose tags this run read.
    if (!tags || state === 'not-managed' || state === 'gone' || state === 'recent') continue;
    try {
      const { outcome, detail } = await runLifecycle(deps, user.userName, tags, {
        warnings: true,
      });
      if (outcome === 'none') continue;
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (HANDLED.has(outcome)) handled.add(user.userName);
      log.info('step done', { step: 'lifecycle', outcome, userName: user.userName, detail });
    } catch (error) {
      failed += 1;
      handled.add(user.userName);
      log.error('step failed', {
        step: 'lifecycle',
        outcome: 'error',
        userName: user.userName,
        errorName: error instanceof RecordError ? error.errorName : errorName(error),
      });
    }
  }
  return { counts, failed, handled };
}
