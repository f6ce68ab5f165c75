import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-group-policy-attachments-exclusive';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import {
  CHANGE_PASSWORD_POLICY_ARN,
  DISPLAY_NAME_TAG_KEY,
  RENAMED_FROM_TAG_KEY,
  EVERYONE_GROUP_NAME,
  EMAIL_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
  MANAGED_USER_PATH,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  SUSPENDED_TAG_KEY,
  ACCESS_UNTIL_TAG_KEY,
  DENY_ALL_POLICY_ARN,
  DELIVERY_CHANNEL_TAG_KEY,
} from '../shared/contract';
import { utcDay, type Roster, type RosterUser } from '../inputs/roster';
import { groupPolicyAttachmentName, terraformName } from './terraform-names';

export interface RosterUsersProps {
  /** The validated roster (see inputs/roster.ts); this construct trusts it. */
  readonly roster: Roster;
  /**
   * IAM path for users and groups. The welcome function's permissions are
   * scoped to it, so users outside it are never touched.
   * @default MANAGED_USER_PATH (`/iam-onboarding/`)
   */
  readonly path?: string;
  /**
   * Created before any user: the welcome pipeline, so that no user's
   * CreateUser event is raised before something listens for it.
   * @default nothing
   */
  readonly createAfter?: readonly TerraformResource[];
  /**
   * Today (`YYYY-MM-DD`, UTC): a person whose `accessUntil` is before it is
   * synthesized suspended.
   * @default the clock's
   */
  readonly today?: string;
}

/** The IAM resources made for one roster group. */
export interface RosterGroupResources {
  readonly group: IamGroup;
  /** One attachment per managed policy, by policy ARN. */
  readonly attachments: ReadonlyMap<string, IamGroupPolicyAttachment>;
  /** The group has exactly these policies: one attached by hand is detached. */
  readonly exclusive: IamGroupPolicyAttachmentsExclusive;
}

/** The IAM resources made for one person. */
export interface RosterUserResources {
  readonly user: IamUser;
  /** The person's groups: the roster's, and always the everyone group. */
  readonly membership: IamUserGroupMembership;
  /** AWSDenyAll on the user, while the person is suspended (or their access has ended). */
  readonly denyAll?: IamUserPolicyAttachment;
}

/**
 * Whether the person is suspended at synthesis on `today`: the roster says
 * so, or the last day of `accessUntil` has passed.
 */
export function isSuspended(person: RosterUser, today: string = utcDay()): boolean {
  return (
    person.suspended === true || (person.accessUntil !== undefined && person.accessUntil < today)
  );
}

/** The tags a managed user carries: the roster's own, then the ones the welcome function reads. */
export function userTags(person: RosterUser): Record<string, string> {
  return userTagsOn(person, utcDay());
}

/** The tags as of `today` (`YYYY-MM-DD`, UTC): an end date passed adds the suspended tag. */
export function userTagsOn(person: RosterUser, today: string): Record<string, string> {
  return {
    ...person.tags,
    [MANAGED_BY_TAG_KEY]: MANAGED_BY_TAG_VALUE,
    [EMAIL_TAG_KEY]: person.email,
    ...(person.displayName ? { [DISPLAY_NAME_TAG_KEY]: person.displayName } : {}),
    ...(person.renamedFrom ? { [RENAMED_FROM_TAG_KEY]: person.renamedFrom } : {}),
    // Only above 0: raising the counter changes the tag (IAM TagUser), which
    // the pipeline answers with a new password; 0 and absent both mean "never".
    ...(person.resend ? { [RESEND_TAG_KEY]: String(person.resend) } : {}),
    ...(person.resendAfterSignIn ? { [RESEND_AFTER_SIGN_IN_TAG_KEY]: 'true' } : {}),
    // Adding the tag (TagUser) is the function's cue to turn sign-in and keys
    // off; removing it, to issue a fresh password.
    ...(isSuspended(person, today) ? { [SUSPENDED_TAG_KEY]: 'true' } : {}),
    ...(person.accessUntil ? { [ACCESS_UNTIL_TAG_KEY]: person.accessUntil } : {}),
    // Only the person's own choice: everyone else follows the settings'
    // default (the function's environment), so changing it retags nobody.
    ...(person.channel ? { [DELIVERY_CHANNEL_TAG_KEY]: person.channel } : {}),
  };
}

/**
 * The roster as IAM users and groups. Every Terraform address comes from a
 * name (stacks/terraform-names.ts), so reordering the roster plans nothing and
 * removing a person plans exactly that person's resources away.
 */
export class RosterUsers extends Construct {
  /** Per person, by IAM user name. */
  readonly users: ReadonlyMap<string, RosterUserResources>;
  /** Per group, by IAM group name. */
  readonly groups: ReadonlyMap<string, IamGroup>;
  /** Per group, by IAM group name: the group and its policy attachments. */
  readonly groupResources: ReadonlyMap<string, RosterGroupResources>;
  /**
   * The group every managed person belongs to. It carries
   * IAMUserChangePassword: a user created through the API with a forced
   * reset needs iam:ChangePassword on itself or the first sign-in fails
   * (docs/design.md, "A forced password reset needs iam:ChangePassword"). One group
   * attachment instead of one per user keeps the
   * plan short.
   */
  readonly everyone: IamGroup;

  constructor(scope: Construct, id: string, props: RosterUsersProps) {
    super(scope, id);
    const path = props.path ?? MANAGED_USER_PATH;
    const today = props.today ?? utcDay();

    const everyone = new IamGroup(this, 'everyone', { name: EVERYONE_GROUP_NAME, path });
    everyone.overrideLogicalId(terraformName(EVERYONE_GROUP_NAME));
    const changePassword = new IamGroupPolicyAttachment(this, 'everyone-change-password', {
      group: everyone.name,
      policyArn: CHANGE_PASSWORD_POLICY_ARN,
    });
    changePassword.overrideLogicalId('change_password');

    const groups = new Map<string, IamGroup>();
    const groupResources = new Map<string, RosterGroupResources>();
    for (const g of props.roster.groups) {
      const name = terraformName(g.groupName);
      const group = new IamGroup(this, `group-${name}`, {
        name: g.groupName,
        path,
        // Only for the order of a removal (nothing replaces a group: a new
        // name or path is an update): Terraform records this in the state
        // and then deletes a removed group only after its remaining members'
        // memberships are updated. Without it the group goes first, and IAM
        // refuses to delete a group that still has members.
        lifecycle: { createBeforeDestroy: true },
      });
      group.overrideLogicalId(name);
      const groupName = group.name;
      const policyArns = [...g.policies].sort();
      // One attachment per policy, named from the group and the ARN (never a
      // position). Each refers to its group, so Terraform detaches it before
      // it deletes the group: IAM refuses to delete a group that still has a
      // policy ("DeleteConflict: must detach all policies first"), and
      // destroying the exclusive resource below detaches nothing.
      const attachments = new Map<string, IamGroupPolicyAttachment>();
      for (const arn of policyArns) {
        const attachmentName = groupPolicyAttachmentName(g.groupName, arn);
        const attachment = new IamGroupPolicyAttachment(this, `group-policy-${attachmentName}`, {
          group: groupName,
          policyArn: arn,
        });
        attachment.overrideLogicalId(attachmentName);
        attachments.set(arn, attachment);
      }
      // Exclusive management as well: a policy attached by hand is detached
      // at the next deploy. It runs after the attachments (so it finds its
      // list already attached and never races them), and is destroyed before
      // them (its destroy only forgets it). Both detach through the same call,
      // which treats "already detached" as done, so they cannot fight.
      const exclusive = new IamGroupPolicyAttachmentsExclusive(this, `group-policies-${name}`, {
        groupName,
        policyArns,
        dependsOn: [...attachments.values()],
      });
      exclusive.overrideLogicalId(name);
      groups.set(g.groupName, group);
      groupResources.set(g.groupName, { group, attachments, exclusive });
    }

    // Each attribute access mints a token that records a stack trace; with
    // thousands of people that is most of the synthesis time, so every group's
    // reference is taken once and shared.
    const everyoneRef = everyone.name;
    const groupRefs = new Map([...groups].map(([name, group]) => [name, group.name]));

    // Plain addresses, not references: a reference is a token resolved (and
    // re-minted, with a stack trace) for every user at every synthesis pass.
    const after = props.createAfter?.map((d) => `${d.terraformResourceType}.${d.friendlyUniqueId}`);

    const users = new Map<string, RosterUserResources>();
    for (const person of props.roster.users) {
      const name = terraformName(person.userName);
      const user = new IamUser(this, `user-${name}`, {
        name: person.userName,
        path,
        // The login profile is the function's, not Terraform's: without this
        // Terraform cannot delete the user (docs/design.md,
        // "Terraform cannot delete a user whose login profile it does not manage").
        forceDestroy: true,
        tags: userTagsOn(person, today),
      });
      user.overrideLogicalId(name);
      if (after && after.length > 0) user.dependsOn = after;

      const membership = new IamUserGroupMembership(this, `membership-${name}`, {
        user: user.name,
        // Sorted by name (not by token) so that reordering a person's groups changes nothing.
        groups: [everyoneRef, ...[...person.groups].sort().map((g) => groupRefs.get(g)!)],
      });
      membership.overrideLogicalId(name);
      // A deny no group grant can lift; the memberships stay, so reinstating
      // (the attachment destroyed) gives back exactly what the person had.
      let denyAll: IamUserPolicyAttachment | undefined;
      if (isSuspended(person, today)) {
        denyAll = new IamUserPolicyAttachment(this, `suspended-${name}`, {
          user: user.name,
          policyArn: DENY_ALL_POLICY_ARN,
        });
        denyAll.overrideLogicalId(`suspended_${name}`);
      }
      users.set(person.userName, { user, membership, ...(denyAll ? { denyAll } : {}) });
    }
    this.users = users;
    this.groups = groups;
    this.groupResources = groupResources;
    this.everyone = everyone;
  }
}
