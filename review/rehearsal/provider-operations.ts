/**
 * From the API operation the provider's SDK names (`rpc.service`,
 * `rpc.method` in its debug log) to the IAM action(s) that authorize it, as
 * table entries (`service:Action[@target]`, see provider-calls.ts).
 *
 * Most operations are authorized by the action of the same name. The
 * exceptions below come from the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/),
 * whose "Actions defined by ..." tables name the API operations an action
 * covers: e.g. Amazon S3's `s3:ListBucket` covers `HeadBucket`,
 * `s3:GetEncryptionConfiguration` covers `GetBucketEncryption`. The targets
 * (`@group`, `@key`...) say which other resource a request is authorized on,
 * as the reference lists the resource types of each action.
 */

/** `rpc.service` (the SDK's service id) -> the IAM service prefix. */
export const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  CloudTrail: 'cloudtrail',
  CloudWatch: 'cloudwatch',
  'CloudWatch Logs': 'logs',
  EventBridge: 'events',
  IAM: 'iam',
  KMS: 'kms',
  Lambda: 'lambda',
  'Route 53': 'route53',
  S3: 's3',
  SES: 'ses',
  SNS: 'sns',
  SQS: 'sqs',
  SSM: 'ssm',
  STS: 'sts',
};

/**
 * `Service:Operation` -> its actions, where they differ from
 * `prefix:Operation` (or more than one authorizes it).
 */
export const OPERATION_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // Amazon S3: the bucket-level operations whose action is named otherwise.
  'S3:HeadBucket': ['s3:ListBucket'],
  'S3:ListObjects': ['s3:ListBucket'],
  'S3:ListObjectsV2': ['s3:ListBucket'],
  'S3:ListObjectVersions': ['s3:ListBucketVersions'],
  'S3:GetBucketCors': ['s3:GetBucketCORS'],
  'S3:PutBucketCors': ['s3:PutBucketCORS'],
  'S3:GetBucketAccelerateConfiguration': ['s3:GetAccelerateConfiguration'],
  'S3:GetBucketLifecycleConfiguration': ['s3:GetLifecycleConfiguration'],
  'S3:PutBucketLifecycleConfiguration': ['s3:PutLifecycleConfiguration'],
  'S3:GetBucketReplication': ['s3:GetReplicationConfiguration'],
  'S3:GetBucketEncryption': ['s3:GetEncryptionConfiguration'],
  'S3:PutBucketEncryption': ['s3:PutEncryptionConfiguration'],
  'S3:DeleteBucketEncryption': ['s3:PutEncryptionConfiguration'],
  'S3:GetObjectLockConfiguration': ['s3:GetBucketObjectLockConfiguration'],
  'S3:GetPublicAccessBlock': ['s3:GetBucketPublicAccessBlock'],
  'S3:PutPublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  'S3:DeletePublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  'S3:DeleteBucketOwnershipControls': ['s3:PutBucketOwnershipControls'],
  'S3:DeleteBucketTagging': ['s3:PutBucketTagging'],
  'S3:GetBucketPolicyStatus': ['s3:GetBucketPolicyStatus'],
  // IAM: group membership is authorized on the group too; the MFA device on its own ARN.
  'IAM:AddUserToGroup': ['iam:AddUserToGroup@group'],
  'IAM:RemoveUserFromGroup': ['iam:RemoveUserFromGroup@group'],
  'IAM:DeleteVirtualMFADevice': ['iam:DeleteVirtualMFADevice@mfa'],
  // Lambda: giving a function its role is iam:PassRole on the role.
  'Lambda:CreateFunction': ['lambda:CreateFunction', 'iam:PassRole@role'],
  'Lambda:UpdateFunctionConfiguration': ['lambda:UpdateFunctionConfiguration', 'iam:PassRole@role'],
  // Lambda's GetFunctionConfiguration is authorized by lambda:GetFunctionConfiguration (same name).
  // KMS: an alias write is authorized on the alias and on the key it names.
  'KMS:CreateAlias': ['kms:CreateAlias@alias', 'kms:CreateAlias@key'],
  'KMS:UpdateAlias': ['kms:UpdateAlias@alias', 'kms:UpdateAlias@key'],
  'KMS:DeleteAlias': ['kms:DeleteAlias@alias', 'kms:DeleteAlias@key'],
  // Route 53: a change is read back on the change's ARN.
  'Route 53:GetChange': ['route53:GetChange@change'],
};

export class UnknownServiceError extends Error {
  constructor(service: string) {
    super(
      `no IAM service prefix for the SDK's service "${service}" (SERVICE_PREFIX in review/rehearsal/provider-operations.ts)`,
    );
    this.name = 'UnknownServiceError';
  }
}

/** The table entries that authorize one operation. */
export function actionsOf(service: string, operation: string): readonly string[] {
  const mapped = OPERATION_ACTIONS[`${service}:${operation}`];
  if (mapped) return mapped;
  const prefix = SERVICE_PREFIX[service];
  if (!prefix) throw new UnknownServiceError(service);
  return [`${prefix}:${operation}`];
}
