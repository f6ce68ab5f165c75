import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { InputChecks, RESOURCE_NAME } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';

/** An AWS service allowed to publish, and the resources it may publish for. */
export interface TopicPublisher {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /**
   * ARNs (ArnLike patterns allowed, e.g. `arn:aws:cloudwatch:us-east-1:123456789012:alarm:iam-onboarding-*`)
   * of the resources publishing: matched against `aws:SourceArn`.
   */
  readonly sourceArns: readonly string[];
  /**
   * Also require `aws:SourceAccount` (AWS's advice for SES event destinations).
   * @default not required (the source ARNs name the account already)
   */
  readonly sourceAccount?: string;
}

export interface EncryptedTopicProps {
  /** Topic name. */
  readonly name: string;
  /**
   * ARN of the customer-managed KMS key; its policy must admit every publisher's service
   * (docs/design.md, "AWS services need a customer-managed key to write encrypted messages").
   */
  readonly kmsKeyArn: string;
  /** Who may publish: nobody else can (an explicit deny covers every other source). */
  readonly publishers: readonly TopicPublisher[];
  /**
   * IAM roles of this account that may publish (e.g. the welcome function's,
   * for admin notices); excepted from the deny by `aws:PrincipalArn`. They
   * still need sns:Publish (and the key) in their own policies.
   * @default none
   */
  readonly publisherRoleArns?: readonly string[];
  /**
   * Email addresses subscribed to the topic. SNS mails each a confirmation
   * link; nothing is delivered to an address until it is confirmed.
   * @default none
   */
  readonly emailSubscribers?: readonly string[];
}

/**
 * SNS topic encrypted with a customer-managed key, with a topic policy that
 * lets only the named services, for only the named source ARNs, publish.
 */
export class EncryptedTopic extends Construct {
  readonly topic: SnsTopic;
  readonly policy: SnsTopicPolicy;
  readonly topicArn: string;
  readonly topicName: string;
  /** The topic policy's statements, as rendered. */
  readonly statements: readonly PolicyStatement[];
  readonly emailSubscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    const emails = props.emailSubscribers ?? [];
    const checks = new InputChecks()
      .matches('name', props.name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_"')
      .check(props.name.length <= 256, 'name is longer than 256 characters')
      .check(
        props.publishers.length + (props.publisherRoleArns?.length ?? 0) > 0,
        'publishers (or publisherRoleArns) must name at least one publisher',
      );
    props.publishers.forEach((p, i) => {
      checks
        .matches(
          `publishers[${i}].service`,
          p.service,
          /^[a-z0-9.-]+\.amazonaws\.com$/,
          'is not a service principal',
        )
        .check(p.sourceArns.length > 0, `publishers[${i}].sourceArns must not be empty`);
      p.sourceArns.forEach((arn, j) =>
        checks.matches(
          `publishers[${i}].sourceArns[${j}]`,
          arn,
          /^arn:aws[a-z-]*:[a-z0-9-]+:/,
          'is not an ARN',
        ),
      );
    });
    emails.forEach((e, i) =>
      checks.matches(
        `emailSubscribers[${i}]`,
        e,
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
        'is not an email address',
      ),
    );
    checks.check(new Set(emails).size === emails.length, 'emailSubscribers lists an address twice');
    checks.throwIfAny(this);

    this.topic = new SnsTopic(this, 'topic', {
      name: props.name,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    this.topicArn = this.topic.arn;
    this.topicName = props.name;

    const allSources = props.publishers.flatMap((p) => p.sourceArns);
    const roles = props.publisherRoleArns ?? [];
    this.statements = [
      ...props.publishers.map((p, i): PolicyStatement => ({
        Sid: `AllowPublishFromSource${i}`,
        Effect: 'Allow',
        Principal: { Service: p.service },
        Action: 'sns:Publish',
        Resource: this.topic.arn,
        Condition: {
          ArnLike: { 'aws:SourceArn': [...p.sourceArns] },
          ...(p.sourceAccount ? { StringEquals: { 'aws:SourceAccount': p.sourceAccount } } : {}),
        },
      })),
      ...(roles.length > 0
        ? [
            {
              Sid: 'AllowPublishFromRoles',
              Effect: 'Allow' as const,
              Principal: { AWS: [...roles] },
              Action: 'sns:Publish',
              Resource: this.topic.arn,
            },
          ]
        : []),
      {
        // Also binds this account's own principals: only the listed sources publish.
        Sid: 'DenyPublishFromAnyOtherSource',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: this.topic.arn,
        // Both must hold for the deny: neither a listed source nor a listed role.
        Condition: {
          ...(allSources.length > 0 ? { ArnNotLike: { 'aws:SourceArn': allSources } } : {}),
          ...(roles.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': [...roles] } } : {}),
        },
      },
    ];
    this.policy = new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyJson(this.statements),
    });
    this.emailSubscriptions = emails.map(
      (email) =>
        // Keyed by address, so reordering the list changes nothing.
        new SnsTopicSubscription(this, `email-${email.toLowerCase()}`, {
          topicArn: this.topic.arn,
          protocol: 'email',
          endpoint: email,
        }),
    );
  }
}
