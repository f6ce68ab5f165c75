/**
 * AWS-managed keys whose policy AWS documents and does not let anyone
 * change, modelled so that requests through them can be judged offline. So
 * far one: `aws/ssm`, which encrypts SecureString parameters by default
 * (the Slack webhook URL's). Its policy lets every principal of the account
 * use it, but only through SSM in the key's region (`kms:ViaService`,
 * `kms:CallerAccount`); the caller's own IAM policy decides the rest.
 */
import type { PolicyDocument } from './resolve';

/** Stands for the aws/ssm key's id, which differs per account and is unknown offline. */
export const AWS_SSM_KEY_ID = 'aws-managed-aws-ssm';

export function awsSsmKeyArn(region: string, accountId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${AWS_SSM_KEY_ID}`;
}

/** The key policy of `alias/aws/ssm`, as AWS writes it for every account. */
export function awsSsmKeyPolicy(region: string, accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Allow access through AWS Systems Manager for all principals in the account that are authorized to use AWS Systems Manager',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:CreateGrant',
          'kms:DescribeKey',
        ],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': accountId,
            'kms:ViaService': `ssm.${region}.amazonaws.com`,
          },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  };
}
