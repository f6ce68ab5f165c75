/**
 * The Lambda handler: reads the settings, tells the trigger apart, and hands
 * the records to the batch runner (batch.ts), which runs the welcome flow
 * (flow.ts) for each CreateUser event.
 *
 * Triggers: an SQS event source mapping with ReportBatchItemFailures (the
 * answer is `{ batchItemFailures }`), and, while events sent before the
 * switch drain, the SNS topic directly (the answer is a summary; failures
 * are thrown).
 */
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { runSnsRecords, runSqsBatch, type WelcomeSummary } from './batch';
import { readConfig, type WelcomeConfig } from './core/config';
import { describeError, errorName, WelcomeError } from './core/errors';
import { parseInvocation } from './core/event';
import type { RunContext, WelcomeDeps } from './flow';
import { type AliasCache, signInHostResolver } from './sign-in-host';
import { adminNotifier, type WebhookCache } from './admin-notifier';

export { DEFAULT_RETRY, type RetrySettings, type WelcomeDeps } from './flow';
export {
  MIN_RECORD_START_MS,
  type RecordOutcome,
  WelcomeBatchError,
  type WelcomeSummary,
} from './batch';

export type WelcomeResult = SQSBatchResponse | WelcomeSummary;

export function createWelcomeHandler(
  deps: WelcomeDeps,
): (event: unknown, context: Context) => Promise<WelcomeResult> {
  const aliasCache: AliasCache = {};
  // Per execution environment, like the clients: one SSM read serves every warm invocation.
  const webhookCache: WebhookCache = {};

  return async (event, context) => {
    deps.logger.addContext(context);
    let config: WelcomeConfig;
    try {
      config = readConfig(deps.env());
    } catch (error) {
      // Thrown for either trigger: from SQS the whole batch comes back, every
      // record fails the same way until the setting is fixed.
      deps.logger.error('configuration invalid', { step: 'config', error: describeError(error) });
      throw new WelcomeError({
        step: 'config',
        errorName: errorName(error),
        action: error instanceof Error ? error.message : undefined,
      });
    }
    const run: RunContext = {
      deps,
      config,
      context,
      signInHost: signInHostResolver(deps, config, context, aliasCache),
      notifyAdmins: adminNotifier(deps, config, webhookCache),
    };
    const invocation = parseInvocation(event);
    return invocation.trigger === 'sqs'
      ? runSqsBatch(run, invocation.items)
      : runSnsRecords(run, invocation.records);
  };
}
