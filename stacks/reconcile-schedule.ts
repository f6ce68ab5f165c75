import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { RECONCILE_REQUEST } from '../shared/contract';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './region';
import { defaultBusRuleArn } from './user-created-rule';

export interface ReconcileScheduleProps {
  readonly accountId: string;
  /** Rule name. */
  readonly name: string;
  /** ARN of the welcome queue: the schedule drops a reconcile request there. */
  readonly welcomeQueueArn: string;
  /** ARN of the queue for requests EventBridge could not deliver. */
  readonly deadLetterQueueArn: string;
  /**
   * EventBridge schedule expression.
   * @default "rate(1 hour)"
   */
  readonly scheduleExpression?: string;
  /** @default "us-east-1" */
  readonly region?: string;
}

/**
 * A periodic reconcile: CloudTrail-to-EventBridge delivery is best effort, and
 * a lost CreateUser event never reaches the dead-letter queue, so the
 * pipeline also looks for managed users who were never welcomed. The rule
 * puts a fixed request (RECONCILE_REQUEST) into the welcome queue; the
 * welcome function lists the managed users and queues a welcome for each one
 * not yet welcomed, which then takes the same exactly-once path as an event.
 * It also holds welcomes until they can succeed (for example a sender domain
 * not verified yet on the first deploy): they are tried again every run.
 */
export class ReconcileSchedule extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  /** The rule's ARN as a literal string (for the queue and key policies). */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: ReconcileScheduleProps) {
    super(scope, id);
    const region = props.region ?? PIPELINE_REGION;
    const schedule = props.scheduleExpression ?? 'rate(1 hour)';
    new InputChecks()
      .matches('name', props.name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(props.name.length <= 64, 'name is longer than 64 characters')
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'scheduleExpression',
        schedule,
        /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/,
        'must be rate(...) or cron(...)',
      )
      .throwIfAny(this);
    this.ruleArn = defaultBusRuleArn(region, props.accountId, props.name);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      description: 'iam-onboarding: periodic reconcile, welcomes managed users never welcomed',
      scheduleExpression: schedule,
      state: 'ENABLED',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'welcome-queue',
      arn: props.welcomeQueueArn,
      input: JSON.stringify(RECONCILE_REQUEST),
      // A missed run is made up by the next one: no point retrying for a day.
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
