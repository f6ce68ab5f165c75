import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { checkScheduleExpression, reasonOf, SCHEDULE_EXPRESSION } from '../shared/rules';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './region';
import { defaultBusRuleArn } from './user-events-rule';

/** What EventBridge accepts as a schedule: the settings' own rule (shared/rules.ts). */
export { SCHEDULE_EXPRESSION };

export interface QueueScheduleProps {
  readonly accountId: string;
  /** Rule name. */
  readonly name: string;
  /** The rule's description (what the request makes the function do). */
  readonly description: string;
  /** EventBridge schedule expression, e.g. `rate(1 day)`. */
  readonly scheduleExpression: string;
  /** The fixed request the rule puts into the queue, as JSON (shared/contract.ts). */
  readonly body: object;
  /** ARN of the request queue the request goes to (`targetId` "welcome-queue", as deployed). */
  readonly requestQueueArn: string;
  /** ARN of the queue for requests EventBridge could not deliver. */
  readonly deadLetterQueueArn: string;
  /**
   * Seconds EventBridge keeps trying to deliver one request. The next run
   * makes up for a missed one, so retrying longer than a period only piles
   * requests up.
   * @default 3600
   */
  readonly maximumEventAgeSeconds?: number;
  /** @default "us-east-1" */
  readonly region?: string;
}

/**
 * A schedule that puts a fixed request into the request queue, for the
 * function to act on (the reconcile run, the expiry run). Going
 * through the queue, not invoking the function, keeps one entry point: the
 * same concurrency limit, retries and dead-letter queue as every welcome.
 * The queue's policy must admit the rule (`ruleArn`, as aws:SourceArn).
 */
export class QueueSchedule extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  /** The rule's ARN as a literal string (for the queue and key policies). */
  readonly ruleArn: string;
  readonly ruleName: string;

  constructor(scope: Construct, id: string, props: QueueScheduleProps) {
    super(scope, id);
    const region = props.region ?? PIPELINE_REGION;
    const maxAge = props.maximumEventAgeSeconds ?? 3600;
    new InputChecks()
      .matches('name', props.name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(props.name.length <= 64, 'name is longer than 64 characters')
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'scheduleExpression',
        props.scheduleExpression,
        SCHEDULE_EXPRESSION,
        `is not an EventBridge schedule expression: ${reasonOf(checkScheduleExpression(props.scheduleExpression))}`,
      )
      .integerIn('maximumEventAgeSeconds', maxAge, 60, 86400)
      .throwIfAny(this);
    this.ruleName = props.name;
    this.ruleArn = defaultBusRuleArn(region, props.accountId, props.name);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      description: props.description,
      scheduleExpression: props.scheduleExpression,
      state: 'ENABLED',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'welcome-queue',
      arn: props.requestQueueArn,
      input: JSON.stringify(props.body),
      retryPolicy: { maximumEventAgeInSeconds: maxAge, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
