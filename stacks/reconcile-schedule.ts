import { Construct } from 'constructs';
import { RECONCILE_REQUEST } from '../shared/contract';
import { QueueSchedule } from './queue-schedule';

export interface ReconcileScheduleProps {
  readonly accountId: string;
  /** Rule name. */
  readonly name: string;
  /** ARN of the request queue: the schedule drops a reconcile request there. */
  readonly requestQueueArn: string;
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
 * puts a fixed request (RECONCILE_REQUEST) into the request queue; the
 * function lists the managed users and queues a welcome for each one
 * not yet welcomed, which then takes the same exactly-once path as an event.
 * It also holds welcomes until they can succeed (for example a sender domain
 * not verified yet on the first deploy): they are tried again every run.
 */
export class ReconcileSchedule extends QueueSchedule {
  constructor(scope: Construct, id: string, props: ReconcileScheduleProps) {
    super(scope, id, {
      accountId: props.accountId,
      name: props.name,
      description: 'iam-onboarding: periodic reconcile, welcomes managed users never welcomed',
      scheduleExpression: props.scheduleExpression ?? 'rate(1 hour)',
      body: RECONCILE_REQUEST,
      requestQueueArn: props.requestQueueArn,
      deadLetterQueueArn: props.deadLetterQueueArn,
      ...(props.region ? { region: props.region } : {}),
    });
  }
}
