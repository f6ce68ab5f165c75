import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { Construct } from 'constructs';

/**
 * CIS AWS Foundations Benchmark values (length at least 14, no reuse of the
 * last 24: Security Hub IAM.15 and IAM.16) with the four character classes
 * Security Hub IAM.7 checks. No expiry: CIS dropped it and NIST SP 800-63B
 * advises against forced periodic changes. The welcome function reads the
 * policy in force and generates passwords that meet it.
 */
export const CIS_PASSWORD_POLICY = {
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  allowUsersToChangePassword: true,
} as const;

/**
 * The account's password policy, with CIS values. An account has one:
 * managing it here replaces whatever was set by hand, and destroying it
 * restores IAM's default.
 */
export class AccountPasswordPolicy extends Construct {
  readonly policy: IamAccountPasswordPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new IamAccountPasswordPolicy(this, 'policy', { ...CIS_PASSWORD_POLICY });
  }
}
