import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './region';

/** ArnLike pattern covering every alarm whose name starts with `prefix-`. */
export function alarmArnPattern(region: string, accountId: string, prefix: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${prefix}-*`;
}

/** Namespace of the metrics this project derives from its logs. */
export const WELCOME_METRICS_NAMESPACE = 'iam-onboarding';

export interface FailureAlarmsProps {
  readonly accountId: string;
  /** ARN of the (encrypted) alerts topic the alarms notify. */
  readonly alertTopicArn: string;
  /** Welcome function name. */
  readonly functionName: string;
  /**
   * The function's log group (name or reference). A welcome that fails is
   * reported to SQS as a batch item failure, not as a function error, so the
   * `Errors` metric does not see it: a metric filter on the function's own
   * "event failed" log lines does.
   */
  readonly functionLogGroupName: string;
  /** Name of the dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** Name of the EventBridge rule. */
  readonly ruleName: string;
  /** Name of the reconcile schedule's rule. */
  readonly reconcileRuleName: string;
  /**
   * Name of the expiry schedule's rule (settings `expiry`).
   * @default none: expiry off, no alarm for it
   */
  readonly expiryRuleName?: string;
  /** Name of the topic the rule publishes to. */
  readonly topicName: string;
  /** Name of the queue the function drains. */
  readonly requestQueueName: string;
  /**
   * Age, in seconds, at which the oldest waiting message means the function is
   * not keeping up (stopped, throttled, or failing every try).
   * @default 1800
   */
  readonly queueAgeSeconds?: number;
  /** Every alarm name starts with `<prefix>-` (the alerts topic admits exactly these). @default "iam-onboarding" */
  readonly namePrefix?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** Period of every alarm, seconds. @default 300 */
  readonly periodSeconds?: number;
}

interface AlarmSpec {
  readonly id: string;
  readonly suffix: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Sum' | 'Maximum';
  /** @default 1 */
  readonly threshold?: number;
}

/**
 * Said in every alarm's description: CloudWatch notifies on the change of
 * state only, so a pipeline that keeps failing does not repeat the alert.
 */
const NO_REPEAT =
  ' This alert is sent once when the alarm fires and once when it clears, not again while it stays in ALARM: check the alarm state before assuming all is well.';

/**
 * CloudWatch alarms so that no failure of the welcome pipeline goes unseen:
 * the function failing, anything waiting in the dead-letter queue, and every
 * path by which a failure could miss the dead-letter queue itself. Each
 * notifies the alerts topic when it fires and when it clears.
 */
export class FailureAlarms extends Construct {
  /**
   * By id: `welcome-failures`, `function-errors`, `function-throttles`, `dead-letters`, `queue-age`,
   * `rule-failed-invocations`, `reconcile-failed-invocations`, `rule-dlq-failures`,
   * `redrive-failures`, and with an expiry rule `expiry-failed-invocations`.
   */
  readonly alarms: ReadonlyMap<string, CloudwatchMetricAlarm>;
  /** Counts the function's failure log lines (metric `WelcomeFailures`). */
  readonly welcomeFailures: CloudwatchLogMetricFilter;
  /** ArnLike pattern matching these alarms' ARNs (for the alerts topic policy). */
  readonly alarmArnPattern: string;

  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'iam-onboarding';
    const region = props.region ?? PIPELINE_REGION;
    const period = props.periodSeconds ?? 300;
    const queueAge = props.queueAgeSeconds ?? 1800;
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches('namePrefix', prefix, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(
        period >= 60 && period % 60 === 0,
        `periodSeconds must be a multiple of 60 (got ${period})`,
      )
      .throwIfAny(this);
    this.alarmArnPattern = alarmArnPattern(region, props.accountId, prefix);

    // Powertools writes one JSON object per line: level and message are keys.
    this.welcomeFailures = new CloudwatchLogMetricFilter(this, 'welcome-failures-filter', {
      name: `${prefix}-welcome-failures`,
      logGroupName: props.functionLogGroupName,
      pattern:
        '{ ($.level = "ERROR") && (($.message = "event failed") || ($.message = "welcomed tag not written")) }',
      metricTransformation: {
        namespace: WELCOME_METRICS_NAMESPACE,
        name: 'WelcomeFailures',
        value: '1',
        unit: 'Count',
      },
    });

    const specs: AlarmSpec[] = [
      {
        id: 'welcome-failures',
        suffix: 'welcome-failures',
        description:
          'A welcome failed (logged "event failed" or "welcomed tag not written"): the message comes back from the queue; after five tries it waits in the dead-letter queue. Search the function logs for the user name.',
        namespace: WELCOME_METRICS_NAMESPACE,
        metricName: 'WelcomeFailures',
        dimensions: {},
        statistic: 'Sum',
      },
      {
        id: 'function-errors',
        suffix: 'welcome-errors',
        description:
          'The welcome function failed (its queue retries; events it gives up on land in the dead-letter queue).',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: props.functionName },
        statistic: 'Sum',
      },
      {
        id: 'function-throttles',
        suffix: 'welcome-throttles',
        description:
          "Lambda throttled the welcome function (the account's concurrency is used up): welcomes wait in the queue and, after five tries, in the dead-letter queue.",
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensions: { FunctionName: props.functionName },
        statistic: 'Sum',
      },
      {
        id: 'dead-letters',
        suffix: 'dead-letters',
        description: `Events wait in the dead-letter queue ${props.deadLetterQueueName}: someone did not get a welcome email. Inspect and redrive.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: props.deadLetterQueueName },
        statistic: 'Maximum',
      },
      {
        id: 'queue-age',
        suffix: 'welcome-queue-age',
        description: `A CreateUser event has waited over ${queueAge / 60} minutes in ${props.requestQueueName}: the welcome function is not keeping up or keeps failing.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: props.requestQueueName },
        statistic: 'Maximum',
        threshold: queueAge,
      },
      {
        id: 'rule-failed-invocations',
        suffix: 'rule-failed-invocations',
        description:
          'EventBridge could not deliver a CreateUser event to the topic (it went to the dead-letter queue, or was lost if that failed too).',
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensions: { RuleName: props.ruleName },
        statistic: 'Sum',
      },
      {
        id: 'reconcile-failed-invocations',
        suffix: 'reconcile-failed-invocations',
        description:
          'EventBridge could not put the periodic reconcile request into the welcome queue: users whose event was lost are not looked for.',
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensions: { RuleName: props.reconcileRuleName },
        statistic: 'Sum',
      },
      {
        id: 'rule-dlq-failures',
        suffix: 'rule-dlq-failures',
        description:
          'EventBridge could neither deliver a CreateUser event to the topic nor to the dead-letter queue.',
        namespace: 'AWS/Events',
        metricName: 'InvocationsFailedToBeSentToDlq',
        dimensions: { RuleName: props.ruleName },
        statistic: 'Sum',
      },
      {
        id: 'redrive-failures',
        suffix: 'topic-redrive-failures',
        description:
          'SNS could neither deliver to the welcome queue nor redrive to the dead-letter queue.',
        namespace: 'AWS/SNS',
        metricName: 'NumberOfNotificationsFailedToRedriveToDlq',
        dimensions: { TopicName: props.topicName },
        statistic: 'Sum',
      },
    ];
    if (props.expiryRuleName !== undefined) {
      specs.push({
        id: 'expiry-failed-invocations',
        suffix: 'expiry-failed-invocations',
        description:
          'EventBridge could not put the daily expiry request into the welcome queue: unused temporary passwords stay valid until a run gets through.',
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensions: { RuleName: props.expiryRuleName },
        statistic: 'Sum',
      });
    }
    const alarms = new Map<string, CloudwatchMetricAlarm>();
    for (const s of specs) {
      alarms.set(
        s.id,
        new CloudwatchMetricAlarm(this, s.id, {
          alarmName: `${prefix}-${s.suffix}`,
          alarmDescription: s.description + NO_REPEAT,
          namespace: s.namespace,
          metricName: s.metricName,
          ...(Object.keys(s.dimensions).length > 0 ? { dimensions: s.dimensions } : {}),
          statistic: s.statistic,
          period,
          evaluationPeriods: 1,
          threshold: s.threshold ?? 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          // No data means nothing happened: not an alarm.
          treatMissingData: 'notBreaching',
          alarmActions: [props.alertTopicArn],
          okActions: [props.alertTopicArn],
        }),
      );
    }
    this.alarms = alarms;
  }
}
