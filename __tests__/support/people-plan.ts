/**
 * A plan touching people in every way the plan-people reading tells apart:
 * added, removed, renamed (a new user, and the same user moved), replaced,
 * forgotten, changed (tags, groups, a policy), resends raised, lowered and
 * on users the function skips, and users created that it will not welcome.
 */
import type { ResourceChange, TerraformPlan } from '../../review/terraform-plan';
import { managed } from './preview-plan';

type Values = Record<string, unknown> | null;

const MANAGED_PATH = '/iam-onboarding/';

export function change(
  type: string,
  name: string,
  actions: ResourceChange['change']['actions'],
  before: Values,
  after: Values,
  extra: Record<string, unknown> = {},
): ResourceChange {
  return {
    address: `${type}.${name}`,
    type,
    name,
    mode: 'managed',
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

export const user = (name: string, tags: Record<string, string>, path = MANAGED_PATH) => ({
  name,
  path,
  force_destroy: true,
  tags,
});

const membership = (name: string, groups: string[]) => ({
  user: name,
  groups: ['iam-onboarding-users', ...groups],
});

const resendTags = (email: string, counter?: number, displayName?: string) => ({
  ...managed(email, displayName),
  ...(counter === undefined ? {} : { 'resend-welcome': String(counter) }),
});

export const peoplePlan: TerraformPlan = {
  format_version: '1.2',
  resource_changes: [
    // Added, with groups.
    change('aws_iam_user', 'ann', ['create'], null, user('ann', managed('ann@example.com', 'Ann'))),
    change('aws_iam_user_group_membership', 'ann', ['create'], null, membership('ann', ['dev'])),
    // Added with a resend counter already above 0: the first welcome only.
    change('aws_iam_user', 'abe', ['create'], null, user('abe', resendTags('abe@example.com', 2))),
    // Removed.
    change('aws_iam_user', 'dan', ['delete'], user('dan', managed('dan@example.com')), null),
    change('aws_iam_user_group_membership', 'dan', ['delete'], membership('dan', ['ops']), null),
    // Renamed in the roster: the old user deleted, a new one (same address) created.
    change('aws_iam_user', 'bo_chen', ['delete'], user('bo.chen', managed('Bo@example.com')), null),
    change(
      'aws_iam_user',
      'bo_chen2',
      ['create'],
      null,
      user('bo.chen2', managed('bo@example.com')),
    ),
    // Renamed in place by a moved block: the same IAM user, no email.
    change(
      'aws_iam_user',
      'mo_new',
      ['update'],
      user('mo.old', managed('mo@example.com')),
      user('mo.new', managed('mo@example.com')),
      { previous_address: 'aws_iam_user.mo_old' },
    ),
    // Replaced (its path forces a new user), with its counter raised too: the welcome only.
    change(
      'aws_iam_user',
      'rex',
      ['delete', 'create'],
      user('rex', resendTags('rex@example.com', 1), '/legacy/'),
      user('rex', resendTags('rex@example.com', 2)),
      { replace_paths: [['path']] },
    ),
    // Forgotten: left in the account.
    change('aws_iam_user', 'fay', ['forget'], user('fay', managed('fay@example.com')), null),
    // Changed: a display name; groups; a policy attached directly.
    change(
      'aws_iam_user',
      'carla',
      ['update'],
      user('carla', managed('carla@example.com', 'Carla')),
      user('carla', managed('carla@example.com', 'Carla D')),
    ),
    change(
      'aws_iam_user_group_membership',
      'gus',
      ['update'],
      membership('gus', ['dev']),
      membership('gus', ['dev', 'ops']),
    ),
    change('aws_iam_user_policy_attachment', 'pat', ['create'], null, {
      user: 'pat',
      policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    }),
    // Resends: raised (from 1, and from none), lowered, and on a user the function skips.
    change(
      'aws_iam_user',
      'rose',
      ['update'],
      user('rose', resendTags('rose@example.com', 1, 'Rose')),
      user('rose', resendTags('rose@example.com', 2, 'Rose')),
    ),
    change(
      'aws_iam_user',
      'ray',
      ['update'],
      user('ray', resendTags('ray@example.com')),
      user('ray', resendTags('ray@example.com', 1)),
    ),
    change(
      'aws_iam_user',
      'liz',
      ['update'],
      user('liz', resendTags('liz@example.com', 3)),
      user('liz', resendTags('liz@example.com', 2)),
    ),
    change(
      'aws_iam_user',
      'otto',
      ['update'],
      user('otto', resendTags('otto@example.com', 1), '/elsewhere/'),
      user('otto', resendTags('otto@example.com', 2), '/elsewhere/'),
    ),
    // Created, but the function would skip it: no email tag.
    change(
      'aws_iam_user',
      'nomail',
      ['create'],
      null,
      user('nomail', { 'managed-by': 'iam-onboarding' }),
    ),
    // Not a person's: counted with the rest.
    change('aws_sns_topic', 'pipeline_topic_topic_1', ['update'], { name: 't' }, { name: 't2' }),
  ],
};

/** Who the plan above emails: the answer every consumer must give. */
export const WELCOMED = ['abe', 'ann', 'bo.chen2', 'rex'];
export const RESENT = ['ray', 'rose'];
