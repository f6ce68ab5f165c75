import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { InputChecks, RESOURCE_NAME } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';

export interface RequestQueueProps {
  /** Queue name. */
  readonly name: string;
  /** ARN of the topic whose messages the queue receives. */
  readonly topicArn: string;
  /**
   * EventBridge rules that may also send to the queue (the reconcile and
   * expiry schedules). Nothing else may send.
   * @default none
   */
  readonly eventRuleArns?: readonly string[];
  /**
   * Further topics that deliver into the queue: SES's bounce and complaint
   * events (ses-feedback.ts). Subscribed by their own constructs.
   * @default none
   */
  readonly feedbackTopicArns?: readonly string[];
  /**
   * ARN of the role the consumer function runs as: it queues its own
   * follow-up requests (the next page of an expiry run), so the queue's
   * deny exempts it.
   */
  readonly functionRoleArn: string;
  /**
   * Further roles that may send by hand (the operators' `npm run redrive` and
   * `npm run reconcile` with `--apply`; settings `delivery.operatorRoles`).
   * Each still needs sqs:SendMessage and the key in its own policies.
   * @default none
   */
  readonly operatorRoleArns?: readonly string[];
  /**
   * ARN of the customer-managed key that encrypts the queue. Its policy must
   * let `sns.amazonaws.com` use it (kms:GenerateDataKey*, kms:Decrypt), and
   * the consumer's role needs kms:Decrypt on it.
   */
  readonly kmsKeyArn: string;
  /** Where a message goes after `maxReceiveCount` failed receives, and where SNS puts what it cannot deliver. */
  readonly deadLetterQueueArn: string;
  /**
   * Seconds a received message stays invisible before it is delivered again.
   * AWS asks for at least six times the consumer function's timeout, so that
   * the event source mapping's own retries of throttled invocations fit.
   * @default 360 (six times the function's 60 s)
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Receives before a message moves to the dead-letter queue. With the
   * default visibility timeout a message is tried for about half an hour,
   * which covers IAM's eventual consistency and SES throttling bursts.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** @default 1209600 (14 days, SQS's maximum: a burst never outlives the queue) */
  readonly messageRetentionSeconds?: number;
}

/**
 * The queue of every request the function serves: the user-events topic
 * delivers each CreateUser and resend (TagUser) event here, the schedules
 * their reconcile and expiry requests, the SES feedback topic its bounces
 * and complaints, the function its own follow-ups (a reconcile's welcomes,
 * an expiry run's next page). Deployed as `iam-onboarding-welcome-queue`,
 * kept from when it only carried welcomes: a new name would replace the
 * queue and drop what waits in it (welcome-pipeline.ts, PIPELINE_NAMES).
 * The function drains the queue through an
 * event source mapping whose maximum concurrency paces the sending without
 * reserving any of the account's Lambda concurrency (a reservation fails on
 * new accounts whose quota is 10; see config/README.md "Pacing").
 *
 * Encrypted with the pipeline's customer-managed key: SNS cannot deliver to a
 * queue encrypted with the AWS-managed `alias/aws/sqs` key, whose policy
 * cannot admit it.
 */
export class RequestQueue extends Construct {
  readonly queue: SqsQueue;
  readonly policy: SqsQueuePolicy;
  readonly subscription: SnsTopicSubscription;
  readonly queueArn: string;
  readonly queueName: string;
  readonly visibilityTimeoutSeconds: number;
  /** The queue policy's statements, as rendered. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: RequestQueueProps) {
    super(scope, id);
    const visibility = props.visibilityTimeoutSeconds ?? 360;
    const receives = props.maxReceiveCount ?? 5;
    const retention = props.messageRetentionSeconds ?? 1209600;
    new InputChecks()
      .matches('name', props.name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(props.name.length <= 80, "name is longer than SQS's 80 characters")
      .integerIn('visibilityTimeoutSeconds', visibility, 0, 43200)
      .integerIn('maxReceiveCount', receives, 1, 1000)
      .integerIn('messageRetentionSeconds', retention, 60, 1209600)
      .throwIfAny(this);

    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      kmsMasterKeyId: props.kmsKeyArn,
      // Fewer KMS calls: one data key serves the queue for 5 minutes.
      kmsDataKeyReusePeriodSeconds: 300,
      visibilityTimeoutSeconds: visibility,
      messageRetentionSeconds: retention,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: props.deadLetterQueueArn,
        maxReceiveCount: receives,
      }),
    });
    this.queueArn = this.queue.arn;
    this.queueName = props.name;
    this.visibilityTimeoutSeconds = visibility;

    this.statements = [
      {
        Sid: 'TopicDeliversCreateUserEvents',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: this.queue.arn,
        Condition: { ArnEquals: { 'aws:SourceArn': props.topicArn } },
      },
      ...(props.eventRuleArns?.length
        ? [
            {
              Sid: 'RulesSendRequests',
              Effect: 'Allow' as const,
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: this.queue.arn,
              Condition: { ArnEquals: { 'aws:SourceArn': [...props.eventRuleArns] } },
            },
          ]
        : []),
      ...(props.feedbackTopicArns?.length
        ? [
            {
              Sid: 'TopicsDeliverSesFeedback',
              Effect: 'Allow' as const,
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: this.queue.arn,
              Condition: { ArnEquals: { 'aws:SourceArn': [...props.feedbackTopicArns] } },
            },
          ]
        : []),
      // The allows above admit only these services; an identity policy alone
      // would still let anyone in the account with sqs:SendMessage and the key
      // queue a forged request or SES bounce (an admin notice with text of
      // their choosing). So every other sender is denied explicitly: a
      // request is refused unless it comes from one of the pipeline's own
      // sources (aws:SourceArn, which only AWS services set) or from the
      // function's or an operator's role (aws:PrincipalArn, which a service
      // request does not carry). Both keys absent: both negated conditions
      // hold, and the deny applies.
      {
        Sid: 'DenyOtherSenders',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: this.queue.arn,
        Condition: {
          ArnNotEquals: {
            'aws:SourceArn': [
              props.topicArn,
              ...(props.eventRuleArns ?? []),
              ...(props.feedbackTopicArns ?? []),
            ],
            'aws:PrincipalArn': [props.functionRoleArn, ...(props.operatorRoleArns ?? [])],
          },
        },
      },
    ];
    this.policy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: policyJson(this.statements),
    });

    this.subscription = new SnsTopicSubscription(this, 'subscription', {
      topicArn: props.topicArn,
      protocol: 'sqs',
      endpoint: this.queue.arn,
      // Not raw: the body keeps SNS's envelope, whose MessageId ties the logs
      // to SNS's delivery logs and whose shape the redrive tool recognises.
      rawMessageDelivery: false,
      // What SNS cannot deliver (e.g. the key policy went wrong) is kept, not dropped.
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: props.deadLetterQueueArn }),
      // The queue must admit the topic before SNS sends the confirmation.
      dependsOn: [this.policy],
    });
  }
}
