import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { Construct } from 'constructs';
import { policyJson, type PolicyStatement } from './policy-document';

/**
 * What a person may do before signing in with MFA: change the temporary
 * password (the forced reset at first sign-in needs ChangePassword and
 * GetAccountPasswordPolicy, or the new person is locked out) and set up
 * their own MFA device. AWS's documented "manage own MFA" pattern, plus those
 * two.
 */
export const ALLOWED_WITHOUT_MFA = [
  'iam:ChangePassword',
  'iam:GetAccountPasswordPolicy',
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetUser',
  'iam:GetMFADevice',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
] as const;

/**
 * IAM's `${aws:username}` policy variable, escaped for Terraform (`$${`), which
 * would otherwise read it as an interpolation; IAM receives `${aws:username}`.
 */
export const IAM_USERNAME = '$${aws:username}';

export interface RequireMfaProps {
  /** Name (or reference) of the group every managed person is in. */
  readonly groupName: string;
}

/**
 * Until a person has signed in with MFA, everything is denied but changing
 * their password and enrolling an MFA device for themselves (CIS AWS
 * Foundations 1.10, Security Hub IAM.5). An inline policy of the everyone
 * group, so it covers every managed person and nobody else; a Deny, so no
 * other grant can lift it.
 */
export class RequireMfa extends Construct {
  readonly policy: IamGroupPolicy;
  /** The policy's statements, as rendered. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: RequireMfaProps) {
    super(scope, id);
    const self = `arn:aws:iam::*:user/${IAM_USERNAME}`;
    this.statements = [
      {
        Sid: 'ListVirtualMfaDevices',
        Effect: 'Allow',
        Action: 'iam:ListVirtualMFADevices',
        Resource: '*',
      },
      {
        // A virtual device is created under the user's own name only.
        Sid: 'CreateOwnVirtualMfaDevice',
        Effect: 'Allow',
        Action: 'iam:CreateVirtualMFADevice',
        Resource: `arn:aws:iam::*:mfa/${IAM_USERNAME}`,
      },
      {
        Sid: 'ManageOwnMfa',
        Effect: 'Allow',
        Action: [
          'iam:DeactivateMFADevice',
          'iam:EnableMFADevice',
          'iam:GetUser',
          'iam:GetMFADevice',
          'iam:ListMFADevices',
          'iam:ResyncMFADevice',
        ],
        Resource: self,
      },
      {
        // Deactivating a device needs a session with MFA: not in the list below.
        Sid: 'DenyAllExceptListedIfNoMfa',
        Effect: 'Deny',
        NotAction: [...ALLOWED_WITHOUT_MFA],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ];
    this.policy = new IamGroupPolicy(this, 'policy', {
      name: 'require-mfa',
      group: props.groupName,
      policy: policyJson(this.statements),
    });
  }
}
