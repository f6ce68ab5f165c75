import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { failSynthesis } from './fail';

export const ENCRYPTION_AT_REST = 'encryption-at-rest';

/**
 * Fails synthesis when an SNS topic has no KMS key, or an SQS queue has
 * neither a KMS key nor SQS-managed encryption (SSE-SQS) turned on explicitly.
 */
export class EncryptionAtRestAspect implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof SnsTopic) {
      if (!node.kmsMasterKeyIdInput) {
        failSynthesis(
          node,
          ENCRYPTION_AT_REST,
          'the SNS topic is not encrypted: set kms_master_key_id to a customer-managed key',
        );
      }
    } else if (node instanceof SqsQueue) {
      if (!node.kmsMasterKeyIdInput && node.sqsManagedSseEnabledInput !== true) {
        failSynthesis(
          node,
          ENCRYPTION_AT_REST,
          'the SQS queue is not encrypted: set sqs_managed_sse_enabled = true or kms_master_key_id',
        );
      }
    }
  }
}
