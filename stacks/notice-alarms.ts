import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { WELCOME_METRICS_NAMESPACE } from './failure-alarms';
import { InputChecks, RESOURCE_NAME } from './input-checks';

export interface NoticeAlarmsProps {
  /** ARN of the alerts topic (failure-alarms.ts uses the same). */
  readonly alertTopicArn: string;
  /** The welcome function's log group (name or reference). */
  readonly functionLogGroupName: string;
  /** The topic SES publishes bounces and complaints to. */
  readonly feedbackTopicName: string;
  /** The admins' topic, when there is one. @default none */
  readonly adminTopicName?: string;
  /**
   * Whether any admin destination is configured (topic or Slack): only then
   * can a notice fail to be delivered.
   * @default false
   */
  readonly deliversNotices?: boolean;
  /** Every alarm name starts with `<prefix>-` (the alerts topic admits exactly these). @default "iam-onboarding" */
  readonly namePrefix?: string;
  /** @default 300 */
  readonly periodSeconds?: number;
}

interface Spec {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Record<string, string>;
}

const ONCE =
  ' CloudWatch sends this once when the alarm fires and once when it clears, not again while it stays in ALARM.';

/**
 * Alarms for what admin notices and SES feedback add, to the alerts topic
 * (so someone hears of them even with no admin destination configured):
 * welcome emails that bounced, were marked as spam or were rejected, and
 * addresses found on SES's suppression list before a password was issued
 * (the function's `welcome email problem` ERROR lines); notices that could not
 * be delivered (its `admin notice not delivered` lines: a Slack parameter
 * never put, a webhook revoked, the topic refusing); the admins' topic
 * failing to deliver an email; and SES events SNS could neither deliver to
 * the welcome queue nor redrive to the dead-letter queue.
 */
export class NoticeAlarms extends Construct {
  /** By id: `welcome-email-problems`, `admin-notices-not-delivered`, `admin-notices-failed`, `ses-feedback-redrive-failures`. */
  readonly alarms: ReadonlyMap<string, CloudwatchMetricAlarm>;
  readonly filters: readonly CloudwatchLogMetricFilter[];

  constructor(scope: Construct, id: string, props: NoticeAlarmsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'iam-onboarding';
    const period = props.periodSeconds ?? 300;
    new InputChecks()
      .matches('namePrefix', prefix, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(period >= 60 && period % 60 === 0, `periodSeconds must be a multiple of 60`)
      .throwIfAny(this);

    const filter = (name: string, pattern: string) =>
      new CloudwatchLogMetricFilter(this, `${name}-filter`, {
        name: `${prefix}-${name}`,
        logGroupName: props.functionLogGroupName,
        pattern,
        metricTransformation: {
          namespace: WELCOME_METRICS_NAMESPACE,
          name: name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
          value: '1',
          unit: 'Count',
        },
      });
    // Powertools writes one JSON object per line: level and message are keys.
    this.filters = [
      filter(
        'welcome-email-problems',
        '{ ($.level = "ERROR") && ($.message = "welcome email problem") }',
      ),
      ...(props.deliversNotices
        ? [
            filter(
              'admin-notices-not-delivered',
              '{ ($.level = "WARN") && ($.message = "admin notice not delivered") }',
            ),
          ]
        : []),
    ];

    const specs: Spec[] = [
      {
        id: 'welcome-email-problems',
        description:
          'A welcome email bounced permanently, was marked as spam or was rejected by SES, or the address is on SES\'s account-level suppression list (no password was issued): that person has no working password. Search the function logs for "welcome email problem". A bounce or complaint: fix the address in the roster and raise "resend". Outcome "suppressed": lift it with `aws sesv2 delete-suppressed-destination --email-address ADDRESS` (the admin notice gives the exact command), and the hourly run serves the person.',
        namespace: WELCOME_METRICS_NAMESPACE,
        metricName: 'WelcomeEmailProblems',
      },
      ...(props.deliversNotices
        ? [
            {
              id: 'admin-notices-not-delivered',
              description:
                'The welcome function could not deliver an admin notice (the log line "admin notice not delivered" names the destination and the error): e.g. the Slack webhook parameter was never put or the webhook was revoked.',
              namespace: WELCOME_METRICS_NAMESPACE,
              metricName: 'AdminNoticesNotDelivered',
            },
          ]
        : []),
      ...(props.adminTopicName
        ? [
            {
              id: 'admin-notices-failed',
              description: `SNS could not deliver an admin notice from ${props.adminTopicName} to a subscribed address.`,
              namespace: 'AWS/SNS',
              metricName: 'NumberOfNotificationsFailed',
              dimensions: { TopicName: props.adminTopicName },
            },
          ]
        : []),
      {
        id: 'ses-feedback-redrive-failures',
        description: `SNS could neither deliver an SES bounce or complaint event from ${props.feedbackTopicName} to the welcome queue nor redrive it to the dead-letter queue.`,
        namespace: 'AWS/SNS',
        metricName: 'NumberOfNotificationsFailedToRedriveToDlq',
        dimensions: { TopicName: props.feedbackTopicName },
      },
    ];
    const alarms = new Map<string, CloudwatchMetricAlarm>();
    for (const s of specs) {
      alarms.set(
        s.id,
        new CloudwatchMetricAlarm(this, s.id, {
          alarmName: `${prefix}-${s.id}`,
          alarmDescription: s.description + ONCE,
          namespace: s.namespace,
          metricName: s.metricName,
          ...(s.dimensions ? { dimensions: s.dimensions } : {}),
          statistic: 'Sum',
          period,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: [props.alertTopicArn],
          okActions: [props.alertTopicArn],
        }),
      );
    }
    this.alarms = alarms;
  }
}
