import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { ACCOUNT_ID, InputChecks } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';

export interface PipelineKeyProps {
  /** The account that owns the key; its IAM policies govern everyone else's use. */
  readonly accountId: string;
  /** Alias name without the `alias/` prefix. @default "iam-onboarding" */
  readonly aliasName?: string;
  /**
   * AWS service principals that write to topics or queues encrypted with
   * this key, e.g. `events.amazonaws.com`, or `sns.amazonaws.com` delivering
   * into an encrypted queue. Each gets `kms:GenerateDataKey*` and
   * `kms:Decrypt` (DESIGN fact 6). No `aws:SourceArn`/`aws:SourceAccount`
   * condition: the KMS request SNS makes for a service publisher does not
   * reliably carry them (AWS documents this for EventBridge), and a condition
   * that never matches drops every message silently. The topic policy is where
   * publishing is restricted to our rule and alarms.
   */
  readonly publisherServices: readonly string[];
  /** Days before a scheduled deletion takes effect. @default 30 */
  readonly deletionWindowInDays?: number;
}

/**
 * Customer-managed KMS key (rotation on) for the pipeline's SNS topics. The
 * AWS-managed `alias/aws/sns` key cannot be used: its policy cannot admit
 * EventBridge or CloudWatch (DESIGN fact 6).
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
      .check(
        props.publisherServices.length > 0,
        'publisherServices must name at least one service',
      );
    for (const s of props.publisherServices) {
      checks.matches(
        'publisherServices entry',
        s,
        /^[a-z0-9.-]+\.amazonaws\.com$/,
        'is not a service principal',
      );
    }
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
      {
        Sid: 'ServicesUseKeyForTopicsAndQueue',
        Effect: 'Allow',
        Principal: { Service: [...props.publisherServices].sort() },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
      },
    ];
    this.key = new KmsKey(this, 'key', {
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
