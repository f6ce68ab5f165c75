import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from '../shared/contract';
import { ACCOUNT_ID, InputChecks } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';

/** A service that encrypts with the key on behalf of one or more of our resources. */
export interface KeyServiceUser {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /**
   * Encryption-context key that names the resource, as the encrypting
   * service sets it: `aws:sns:topicArn` for SNS topics, `aws:sqs:arn` for SQS
   * queues.
   */
  readonly contextKey: string;
  /** The resources' ARNs (literal: the key exists before them, so no references). */
  readonly resourceArns: readonly string[];
}

export interface PipelineKeyProps {
  /** The account that owns the key; its IAM policies govern everyone else's use. */
  readonly accountId: string;
  /** Alias name without the `alias/` prefix. @default "iam-onboarding" */
  readonly aliasName?: string;
  /**
   * AWS services that write to topics or queues encrypted with this key, each
   * limited to the encryption context of the resources it writes to. Each
   * gets `kms:GenerateDataKey*` and `kms:Decrypt`
   * (docs/design.md, "AWS services need a customer-managed key to write encrypted messages").
   */
  readonly serviceUsers: readonly KeyServiceUser[];
  /** Days before a scheduled deletion takes effect. @default 30 */
  readonly deletionWindowInDays?: number;
}

/** `events.amazonaws.com` -> `Events`: a Sid word for the service. */
function sidWord(service: string): string {
  const name = service.split('.')[0];
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Customer-managed KMS key (rotation on) for the pipeline's SNS topics. The
 * AWS-managed `alias/aws/sns` key cannot be used: its policy cannot admit
 * EventBridge or CloudWatch
 * (docs/design.md, "AWS services need a customer-managed key to write encrypted messages").
 */
export class PipelineKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** Key ARN, for `kms_master_key_id` and IAM policies. */
  readonly keyArn: string;
  /** The key policy's statements, as rendered. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: PipelineKeyProps) {
    super(scope, id);
    const aliasName = props.aliasName ?? 'iam-onboarding';
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    const checks = new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'aliasName',
        aliasName,
        /^(?!aws\/)[A-Za-z0-9/_-]{1,250}$/,
        'is not a valid KMS alias name',
      )
      .integerIn('deletionWindowInDays', deletionWindowInDays, 7, 30)
      .check(props.serviceUsers.length > 0, 'serviceUsers must name at least one service');
    props.serviceUsers.forEach((u, i) => {
      checks
        .matches(
          `serviceUsers[${i}].service`,
          u.service,
          /^[a-z0-9.-]+\.amazonaws\.com$/,
          'is not a service principal',
        )
        .matches(
          `serviceUsers[${i}].contextKey`,
          u.contextKey,
          /^aws:[a-z0-9]+:[A-Za-z]+$/,
          'is not an AWS encryption-context key',
        )
        .check(u.resourceArns.length > 0, `serviceUsers[${i}].resourceArns must not be empty`);
    });
    const pairs = props.serviceUsers.map((u) => `${u.service} ${u.contextKey}`);
    checks.check(
      new Set(pairs).size === pairs.length,
      'serviceUsers names a service twice for the same kind of resource: merge their resourceArns',
    );
    checks.throwIfAny(this);

    this.statements = [
      {
        // The default key policy: IAM policies in this account decide who else may use the key.
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      // One statement per service, pinned by encryption context to the
      // resources it writes to: KMS checks the context on every request,
      // whichever service makes it. Not aws:SourceArn/aws:SourceAccount: the
      // KMS requests made for an EventBridge delivery do not carry them (AWS
      // documents this), and a condition that never matches drops every
      // message silently.
      ...props.serviceUsers.map((u): PolicyStatement => ({
        Sid: `${sidWord(u.service)}EncryptsFor${u.contextKey.startsWith('aws:sqs:') ? 'Queue' : 'Topic'}`,
        Effect: 'Allow',
        Principal: { Service: u.service },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { [`kms:EncryptionContext:${u.contextKey}`]: [...u.resourceArns] },
        },
      })),
    ];
    this.key = new KmsKey(this, 'key', {
      // The deploy role may change or delete only keys with this tag, set at
      // creation (docs/roles/deploy-policy.json): an alias would come too late.
      tags: { [MANAGED_BY_TAG_KEY]: MANAGED_BY_TAG_VALUE },
      description: 'iam-onboarding: encrypts the welcome pipeline topics and queue',
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policyJson(this.statements),
    });
    this.alias = new KmsAlias(this, 'alias', {
      name: `alias/${aliasName}`,
      targetKeyId: this.key.keyId,
    });
    this.keyArn = this.key.arn;
  }
}
