/**
 * The Lambda handler: reads the settings, then runs each SQS record
 * (runners.ts) under Powertools' batch processor, which answers
 * `{ batchItemFailures }` (the mapping sets ReportBatchItemFailures): SQS
 * delivers just the failed records again after the visibility timeout, and
 * moves one to the dead-letter queue after its last receive.
 *
 * The mapping's batch size is 1 (stacks/welcome-function.ts), so each record
 * starts with the whole timeout; the in-record budgets (the retries' reserve,
 * the expiry run's per-user minimum) keep a record inside it. Records of a
 * larger batch run one after the other, never in parallel: two records about
 * one user must not race each other's IAM reads.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readConfig, type WelcomeConfig } from './core/config';
import { describeError, errorName, RecordError } from './core/errors';
import type { RunContext, WelcomeDeps } from './flow';
import { type RecordResult, runRecord } from './runners';
import { type AliasCache, signInHostResolver } from './sign-in-host';
import { adminNotifier, type WebhookCache } from './admin-notifier';

export { DEFAULT_RETRY, type RetrySettings, type WelcomeDeps } from './flow';
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
    const recordHandler = async (record: SQSRecord) => {
      const result = await runRecord(run, record);
      options.observe?.(record, result);
      if (result.outcome === 'failed') throw result.error;
      return result;
    };
    // One per invocation: its state is this batch's (tests run invocations side by side).
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      // A batch of one that failed is a batch item failure like any other, not an invocation error.
      throwOnFullBatchFailure: false,
    });
  };
}
