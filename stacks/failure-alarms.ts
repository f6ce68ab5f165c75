import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './policy-document';

/** ArnLike pattern covering every alarm whose name starts with `prefix-`. */
export function alarmArnPattern(region: string, accountId: string, prefix: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${prefix}-*`;
}

export interface FailureAlarmsProps {
  readonly accountId: string;
  /** ARN of the (encrypted) alerts topic the alarms notify. */
  readonly alertTopicArn: string;
  /** Welcome function name. */
  readonly functionName: string;
  /** Name of the dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** Name of the EventBridge rule. */
  readonly ruleName: string;
  /** Name of the topic the function subscribes to. */
  readonly topicName: string;
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
}

/**
 * CloudWatch alarms so that no failure of the welcome pipeline goes unseen:
 * the function failing, anything waiting in the dead-letter queue, and every
 * path by which a failure could miss the dead-letter queue itself. Each
 * notifies the alerts topic when it fires and when it clears.
 */
export class FailureAlarms extends Construct {
  /** By id: `function-errors`, `dead-letters`, `destination-failures`, `rule-dlq-failures`, `redrive-failures`. */
  readonly alarms: ReadonlyMap<string, CloudwatchMetricAlarm>;
  /** ArnLike pattern matching these alarms' ARNs (for the alerts topic policy). */
  readonly alarmArnPattern: string;

  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'iam-onboarding';
    const region = props.region ?? PIPELINE_REGION;
    const period = props.periodSeconds ?? 300;
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches('namePrefix', prefix, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(
        period >= 60 && period % 60 === 0,
        `periodSeconds must be a multiple of 60 (got ${period})`,
      )
      .throwIfAny(this);
    this.alarmArnPattern = alarmArnPattern(region, props.accountId, prefix);

    const specs: AlarmSpec[] = [
      {
        id: 'function-errors',
        suffix: 'welcome-errors',
        description:
          'The welcome function failed (it retries; events it gives up on land in the dead-letter queue).',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
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
        id: 'destination-failures',
        suffix: 'welcome-destination-failures',
        description:
          'The welcome function could not put a failed event into its on-failure destination: the event is lost.',
        namespace: 'AWS/Lambda',
        metricName: 'DestinationDeliveryFailures',
        dimensions: { FunctionName: props.functionName },
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
          'SNS could neither deliver to the welcome function nor redrive to the dead-letter queue.',
        namespace: 'AWS/SNS',
        metricName: 'NumberOfNotificationsFailedToRedriveToDlq',
        dimensions: { TopicName: props.topicName },
        statistic: 'Sum',
      },
    ];
    const alarms = new Map<string, CloudwatchMetricAlarm>();
    for (const s of specs) {
      alarms.set(
        s.id,
        new CloudwatchMetricAlarm(this, s.id, {
          alarmName: `${prefix}-${s.suffix}`,
          alarmDescription: s.description,
          namespace: s.namespace,
          metricName: s.metricName,
          dimensions: s.dimensions,
          statistic: s.statistic,
          period,
          evaluationPeriods: 1,
          threshold: 1,
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
