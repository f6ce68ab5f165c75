import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { FUNCTION_TAG_PREFIX } from '../shared/contract';
import { useRemoteState, type RemoteState } from './backend';
import type { Roster } from '../inputs/roster';
import type { Settings } from '../inputs/settings';
import { applyGuardrails } from './aspects';
import { templateStrings, terraformLiterals } from './terraform-literal';
import { PIPELINE_REGION } from './region';
import { AccountPasswordPolicy } from './account-password-policy';
import { RequireMfa } from './require-mfa';
import { RosterUsers } from './roster-users';
import { WelcomePipeline } from './welcome-pipeline';

/** The stack's name; its output lands in `cdktf.out/stacks/<name>/cdk.tf.json`. */
export const STACK_NAME = 'iam-onboarding';

/**
 * IAM's CloudTrail events reach EventBridge only in us-east-1
 * (docs/design.md, "IAM events arrive only in us-east-1"),
 * so the whole stack lives there whatever region the organisation uses.
 */
export const STACK_REGION = PIPELINE_REGION;

export interface IamOnboardingStackProps {
  /** The validated roster. */
  readonly roster: Roster;
  /** The validated settings (inputs/settings.ts). */
  readonly settings: Settings;
  /**
   * S3 location of the state (stacks/backend.ts, from `TF_STATE_*`).
   * @default cdktf's local backend
   */
  readonly remoteState?: RemoteState;
  /**
   * Directory holding the bundled welcome function (tests pass a fixture).
   * @default bundles handlers/welcome
   */
  readonly welcomeCodeDir?: string;
}

/**
 * Thin composition: the roster's users and groups, the welcome pipeline, the
 * account baselines the settings ask for (MFA, password policy), the guardrails.
 */
export class IamOnboardingStack extends TerraformStack {
  readonly users: RosterUsers;
  readonly pipeline: WelcomePipeline;
  /** Present when `security.requireMfa` is on (the default). */
  readonly requireMfa?: RequireMfa;
  /** Present when `security.managePasswordPolicy` is on. */
  readonly passwordPolicy?: AccountPasswordPolicy;

  constructor(scope: Construct, props: IamOnboardingStackProps) {
    super(scope, STACK_NAME);
    // The one place inputs enter the configuration: every construct below sees
    // only Terraform literals (docs/design.md, "Terraform evaluates every string of the configuration").
    const roster = terraformLiterals(props.roster);
    const settings = terraformLiterals(props.settings);
    useRemoteState(this, props.remoteState);
    new AwsProvider(this, 'aws', {
      region: STACK_REGION,
      // Refuse to touch any other account than the one the settings name.
      allowedAccountIds: [settings.accountId],
      // The welcome function tags users it welcomed; without this every
      // deploy would plan to strip those tags (and lose the record).
      ignoreTags: [{ keyPrefixes: [FUNCTION_TAG_PREFIX] }],
    });
    this.pipeline = new WelcomePipeline(this, 'pipeline', {
      settings,
      ...(props.welcomeCodeDir ? { welcomeCodeDir: props.welcomeCodeDir } : {}),
    });
    this.users = new RosterUsers(this, 'roster', {
      roster,
      createAfter: this.pipeline.listeners,
    });
    if (settings.security.requireMfa) {
      this.requireMfa = new RequireMfa(this, 'require-mfa', {
        groupName: this.users.everyone.name,
      });
    }
    if (settings.security.managePasswordPolicy) {
      this.passwordPolicy = new AccountPasswordPolicy(this, 'password-policy');
    }
    applyGuardrails(this, [
      ...templateStrings(props.roster, 'roster $'),
      ...templateStrings(props.settings, 'settings $'),
    ]);
  }
}
