import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { InputChecks, RESOURCE_NAME } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';

/** An AWS service that delivers failed messages here, and for which resources. */
export interface DeadLetterSender {
  /** Service principal, e.g. `sns.amazonaws.com`. */
  readonly service: string;
  /** `aws:SourceArn` values: the topic, rule, ... whose failures land here. */
  readonly sourceArns: readonly string[];
}

export interface DeadLetterQueueProps {
  /** Queue name. */
  readonly name: string;
  /**
   * Services that send failures here through the queue policy. The welcome
   * function's on-failure destination is not one of them: Lambda sends with
   * the function's own role, which its construct grants.
   */
  readonly senders: readonly DeadLetterSender[];
  /** How long a failed event is kept. @default 1209600 (14 days, SQS's maximum) */
  readonly messageRetentionSeconds?: number;
}

/**
 * Where events that could not be handled wait for a person: encrypted at rest
 * with SQS-managed keys (SSE-SQS). Not a KMS key on purpose: delivery into a
 * dead-letter queue must not depend on a key policy being right, or the
 * failure it records would itself vanish. The queue is watched by an alarm.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  readonly policy: SqsQueuePolicy;
  readonly queueArn: string;
  readonly queueName: string;
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const retention = props.messageRetentionSeconds ?? 1209600;
    const checks = new InputChecks()
      .matches('name', props.name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(props.name.length <= 80, "name is longer than SQS's 80 characters")
      .integerIn('messageRetentionSeconds', retention, 60, 1209600)
      .check(props.senders.length > 0, 'senders must name at least one sender');
    props.senders.forEach((s, i) =>
      checks
        .matches(
          `senders[${i}].service`,
          s.service,
          /^[a-z0-9.-]+\.amazonaws\.com$/,
          'is not a service principal',
        )
        .check(s.sourceArns.length > 0, `senders[${i}].sourceArns must not be empty`),
    );
    checks.throwIfAny(this);

    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: retention,
    });
    this.queueArn = this.queue.arn;
    this.queueName = props.name;
    this.statements = props.senders.map((s, i): PolicyStatement => ({
      Sid: `AllowFailuresFromSource${i}`,
      Effect: 'Allow',
      Principal: { Service: s.service },
      Action: 'sqs:SendMessage',
      Resource: this.queue.arn,
      Condition: { ArnEquals: { 'aws:SourceArn': [...s.sourceArns] } },
    }));
    this.policy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: policyJson(this.statements),
    });
  }
}
