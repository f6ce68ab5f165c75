import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Roster } from '../lib/roster';
import { RosterUsers } from './roster-users';

/** The stack's name; its output lands in `cdktf.out/stacks/<name>/cdk.tf.json`. */
export const STACK_NAME = 'iam-onboarding';

/**
 * IAM's CloudTrail events reach EventBridge only in us-east-1 (DESIGN fact 1),
 * so the whole stack lives there whatever region the organisation uses.
 */
export const STACK_REGION = 'us-east-1';

export interface IamOnboardingStackProps {
  /** The validated roster. */
  readonly roster: Roster;
}

/** Thin composition: the roster's users and groups, and the welcome pipeline. */
export class IamOnboardingStack extends TerraformStack {
  readonly users: RosterUsers;

  constructor(scope: Construct, props: IamOnboardingStackProps) {
    super(scope, STACK_NAME);
    new AwsProvider(this, 'aws', { region: STACK_REGION });
    this.users = new RosterUsers(this, 'roster', { roster: props.roster });
  }
}
