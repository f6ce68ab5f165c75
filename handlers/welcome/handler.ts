/**
 * The Lambda handler: reads the settings, runs each SQS record (runners.ts)
 * and answers `{ batchItemFailures }` (the mapping sets
 * ReportBatchItemFailures): SQS delivers the failed records again, and moves
 * one to the dead-letter queue after its last receive.
 *
 * A loop, not Powertools' BatchProcessor: measured (issue 18), it added 1.6 KB
 * zipped for these few lines. The batch size is 1 (stacks/welcome-function.ts),
 * so each record starts with the whole timeout; a larger batch's records run
 * one after the other: two records about one user must not race their IAM reads.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readConfig, type WelcomeConfig } from './core/config';
import { describeError, errorName, RecordError } from './core/errors';
import type { RunContext, WelcomeDeps } from './run-context';
import { type RecordResult, runRecord } from './runners';
import { type AliasCache, signInHostResolver } from './sign-in-host';
import { adminNotifier, type WebhookCache } from './admin-notifier';

export { DEFAULT_RETRY, type RetrySettings, type WelcomeDeps } from './run-context';
export type { RecordOutcome, RecordResult } from './runners';

export interface HandlerOptions {
  /** Sees each record's result as it ends (tests, the local run); the logs say the same. */
  observe?: (record: SQSRecord, result: RecordResult) => void;
}

export function createWelcomeHandler(
  deps: WelcomeDeps,
  options: HandlerOptions = {},
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const aliasCache: AliasCache = {};
  // Per execution environment, like the clients: one SSM read serves every warm invocation.
  const webhookCache: WebhookCache = {};

  return async (event, context) => {
    deps.logger.addContext(context);
    if (!Array.isArray((event as Partial<SQSEvent> | undefined)?.Records)) {
      // Only the queue's event source mapping invokes the function.
      throw new Error(
        'not an SQS event: the function reads only its queue (an event with Records)',
      );
    }
    let config: WelcomeConfig;
    try {
      config = readConfig(deps.env());
    } catch (error) {
      // The whole batch comes back: every record fails the same way until the setting is fixed.
      deps.logger.error('configuration invalid', { step: 'config', error: describeError(error) });
      throw new RecordError({
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
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const result = await runRecord(run, record);
      options.observe?.(record, result);
      // A failure naming no record (it had no ID) fails the whole batch: Lambda's rule.
      if (result.outcome === 'failed') batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures };
  };
}
