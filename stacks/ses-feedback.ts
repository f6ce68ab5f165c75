import { SesConfigurationSet } from '@cdktf/provider-aws/lib/ses-configuration-set';
import { SesEventDestination } from '@cdktf/provider-aws/lib/ses-event-destination';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptedTopic } from './encrypted-topic';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './region';

/** SES event types routed to the admins: what means a person never got (or did not want) the email. */
export const FEEDBACK_EVENT_TYPES = ['bounce', 'complaint', 'reject'] as const;

export interface SesFeedbackProps {
  readonly accountId: string;
  /** Name of the configuration set every welcome email is sent with. */
  readonly configurationSetName: string;
  /** Name of the topic SES publishes the events to. */
  readonly topicName: string;
  /**
   * The pipeline key. Its policy must let `ses.amazonaws.com` use it for this
   * topic (`kms:EncryptionContext:aws:sns:topicArn`): SES refuses to create
   * the event destination when it cannot publish (InvalidParameterValue).
   */
  readonly kmsKeyArn: string;
  /** The welcome queue: the topic delivers the events there, for the function to read. */
  readonly queueArn: string;
  /** Where SNS puts what it cannot deliver to the queue. */
  readonly deadLetterQueueArn: string;
  /**
   * What must exist before the subscription and the event destination: the
   * queue's policy admitting this topic, and the key (with its policy).
   */
  readonly dependsOn: readonly ITerraformDependable[];
  /** @default "us-east-1" */
  readonly region?: string;
}

/**
 * Bounces, complaints and rejects of welcome emails, back to the pipeline:
 * an SES configuration set (the function sends every welcome with it) whose
 * event destination publishes those events to an encrypted topic, which
 * delivers them into the welcome queue. The function turns each into a log
 * line and an admin notice (handlers/welcome/notices.ts).
 *
 * Only SES, for this configuration set and account, may publish to the
 * topic. A configuration set costs nothing; each event is one SNS publish
 * and one SQS message.
 */
export class SesFeedback extends Construct {
  readonly configurationSet: SesConfigurationSet;
  readonly configurationSetName: string;
  /** The configuration set's ARN as a literal (for IAM policies: SendEmail authorizes it). */
  readonly configurationSetArn: string;
  readonly topic: EncryptedTopic;
  readonly eventDestination: SesEventDestination;
  readonly subscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    const region = props.region ?? PIPELINE_REGION;
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'configurationSetName',
        props.configurationSetName,
        RESOURCE_NAME,
        'may hold only letters, digits, "-" and "_"',
      )
      .check(
        props.configurationSetName.length <= 64,
        'configurationSetName is longer than 64 characters',
      )
      .throwIfAny(this);

    this.configurationSetName = props.configurationSetName;
    this.configurationSetArn = `arn:aws:ses:${region}:${props.accountId}:configuration-set/${props.configurationSetName}`;
    this.configurationSet = new SesConfigurationSet(this, 'configuration-set', {
      name: props.configurationSetName,
    });
    this.topic = new EncryptedTopic(this, 'topic', {
      name: props.topicName,
      kmsKeyArn: props.kmsKeyArn,
      publishers: [
        {
          service: 'ses.amazonaws.com',
          sourceArns: [this.configurationSetArn],
          sourceAccount: props.accountId,
        },
      ],
    });
    this.subscription = new SnsTopicSubscription(this, 'to-welcome-queue', {
      topicArn: this.topic.topicArn,
      protocol: 'sqs',
      endpoint: props.queueArn,
      // Not raw: the function tells SES events from CreateUser events by the body.
      rawMessageDelivery: false,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: props.deadLetterQueueArn }),
      dependsOn: [...props.dependsOn],
    });
    this.eventDestination = new SesEventDestination(this, 'to-topic', {
      name: 'welcome-email-problems',
      configurationSetName: this.configurationSet.name,
      enabled: true,
      matchingTypes: [...FEEDBACK_EVENT_TYPES],
      snsDestination: { topicArn: this.topic.topicArn },
      // SES publishes a test message on creation: the topic policy and the key must admit it.
      dependsOn: [this.topic.policy, ...props.dependsOn],
    });
  }
}
