import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { Testing } from 'cdktf';
import { validateRoster, type Roster } from '../../inputs/roster';
import { parseJsonDocument } from '../../inputs/json-file';
import { RosterUsers } from '../../stacks/roster-users';

type Config = { resource: Record<string, Record<string, Record<string, unknown>>> };

function roster(value: unknown): Roster {
  return validateRoster(parseJsonDocument('test.json', JSON.stringify(value)));
}

const SAMPLE = {
  groups: [
    {
      groupName: 'developers',
      policies: [
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser',
      ],
    },
    { groupName: 'support', policies: ['arn:aws:iam::aws:policy/AWSSupportAccess'] },
  ],
  users: [
    {
      userName: 'alice.martin',
      email: 'alice@example.com',
      displayName: 'Alice Martin',
      groups: ['support', 'developers'],
      tags: { team: 'platform' },
    },
    { userName: 'bo', email: 'bo@example.com' },
    { userName: 'carla_d', email: 'carla@example.com', groups: ['support'] },
  ],
};

function synth(value: unknown): Config {
  const json = Testing.synthScope((scope) => {
    new RosterUsers(scope, 'roster', { roster: roster(value) });
  });
  return JSON.parse(json) as Config;
}

/** Resources by address, without cdktf's metadata (which holds construct paths). */
function resources(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(config.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _meta, ...rest } = body;
      out[`${type}.${name}`] = rest;
    }
  }
  return out;
}

describe('RosterUsers', () => {
  const config = synth(SAMPLE);
  const r = resources(config);

  it('makes one user per person, under the managed path, tagged for the welcome function', () => {
    expect(r['aws_iam_user.alice_dot_martin']).toEqual({
      name: 'alice.martin',
      path: '/iam-onboarding/',
      force_destroy: true,
      tags: {
        team: 'platform',
        'managed-by': 'iam-onboarding',
        email: 'alice@example.com',
        'display-name': 'Alice Martin',
      },
    });
    expect(r['aws_iam_user.bo']).toEqual({
      name: 'bo',
      path: '/iam-onboarding/',
      force_destroy: true,
      tags: { 'managed-by': 'iam-onboarding', email: 'bo@example.com' },
    });
    expect(Object.keys(config.resource.aws_iam_user).sort()).toEqual([
      'alice_dot_martin',
      'bo',
      'carla__d',
    ]);
  });

  it('puts every user in the everyone group, which grants iam:ChangePassword on oneself', () => {
    expect(r['aws_iam_group.iam-onboarding-users']).toEqual({
      name: 'iam-onboarding-users',
      path: '/iam-onboarding/',
    });
    expect(r['aws_iam_group_policy_attachment.change_password']).toEqual({
      group: '${aws_iam_group.iam-onboarding-users.name}',
      policy_arn: 'arn:aws:iam::aws:policy/IAMUserChangePassword',
    });
    expect(r['aws_iam_user_group_membership.bo']).toEqual({
      user: '${aws_iam_user.bo.name}',
      groups: ['${aws_iam_group.iam-onboarding-users.name}'],
    });
  });

  it("adds the roster's groups to a person's memberships, sorted", () => {
    expect(r['aws_iam_user_group_membership.alice_dot_martin']).toEqual({
      user: '${aws_iam_user.alice_dot_martin.name}',
      groups: [
        '${aws_iam_group.iam-onboarding-users.name}',
        '${aws_iam_group.developers.name}',
        '${aws_iam_group.support.name}',
      ],
    });
  });

  it('makes groups with exactly their managed policies', () => {
    expect(r['aws_iam_group.developers']).toEqual({
      name: 'developers',
      path: '/iam-onboarding/',
      // Deleted only after its remaining members left it (see the roster-changes plans).
      lifecycle: { create_before_destroy: true },
    });
    expect(r['aws_iam_group_policy_attachments_exclusive.developers']).toEqual({
      group_name: '${aws_iam_group.developers.name}',
      policy_arns: [
        'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ],
      depends_on: [
        'aws_iam_group_policy_attachment.developers_policy_aws_slash_AWSCodeCommitPowerUser',
        'aws_iam_group_policy_attachment.developers_policy_aws_slash_ReadOnlyAccess',
      ],
    });
  });

  it('attaches each policy on its own, referring to the group, so a removed group is detached first', () => {
    const attachments = Object.entries(r).filter(
      ([a]) =>
        a.startsWith('aws_iam_group_policy_attachment.') &&
        a !== 'aws_iam_group_policy_attachment.change_password',
    );
    expect(Object.fromEntries(attachments)).toEqual({
      'aws_iam_group_policy_attachment.developers_policy_aws_slash_AWSCodeCommitPowerUser': {
        group: '${aws_iam_group.developers.name}',
        policy_arn: 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser',
      },
      'aws_iam_group_policy_attachment.developers_policy_aws_slash_ReadOnlyAccess': {
        group: '${aws_iam_group.developers.name}',
        policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      },
      'aws_iam_group_policy_attachment.support_policy_aws_slash_AWSSupportAccess': {
        group: '${aws_iam_group.support.name}',
        policy_arn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    });
  });

  it("removing a policy from a group removes exactly that policy's attachment", () => {
    const fewer = {
      ...SAMPLE,
      groups: [
        { ...SAMPLE.groups[0], policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
        SAMPLE.groups[1],
      ],
    };
    const after = resources(synth(fewer));
    expect(Object.keys(r).filter((a) => !(a in after))).toEqual([
      'aws_iam_group_policy_attachment.developers_policy_aws_slash_AWSCodeCommitPowerUser',
    ]);
    expect(Object.keys(after).filter((a) => !(a in r))).toEqual([]);
  });

  it('exposes the resources it made, by name', () => {
    const json = Testing.synthScope((scope) => {
      const users = new RosterUsers(scope, 'roster', { roster: roster(SAMPLE) });
      expect([...users.users.keys()]).toEqual(['alice.martin', 'bo', 'carla_d']);
      expect(users.everyone.name).toBeDefined();
      expect([...users.groups.keys()]).toEqual(['developers', 'support']);
      expect([...users.groupResources.get('developers')!.attachments.keys()]).toEqual([
        'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ]);
    });
    expect(json).toContain('alice_dot_martin');
  });

  it('changes nothing when the roster is reordered', () => {
    const shuffled = {
      groups: [...SAMPLE.groups]
        .reverse()
        .map((g) => ({ ...g, policies: [...g.policies].reverse() })),
      users: [...SAMPLE.users]
        .reverse()
        .map((u) => ({ ...u, ...(u.groups ? { groups: [...u.groups].reverse() } : {}) })),
    };
    expect(resources(synth(shuffled))).toEqual(r);
  });

  it("removing a person removes exactly that person's resources", () => {
    const without = { ...SAMPLE, users: SAMPLE.users.filter((u) => u.userName !== 'alice.martin') };
    const after = resources(synth(without));
    const removed = Object.keys(r).filter((a) => !(a in after));
    expect(removed.sort()).toEqual([
      'aws_iam_user.alice_dot_martin',
      'aws_iam_user_group_membership.alice_dot_martin',
    ]);
    for (const [address, body] of Object.entries(after)) expect(body).toEqual(r[address]);
  });

  it('honours another path', () => {
    const json = Testing.synthScope((scope) => {
      new RosterUsers(scope, 'roster', { roster: roster(SAMPLE), path: '/people/' });
    });
    expect(json).toHaveResourceWithProperties(IamUser, { name: 'bo', path: '/people/' });
  });

  it('creates users only after what it is told to wait for', () => {
    const json = Testing.synthScope((scope) => {
      const first = new IamGroup(scope, 'first', { name: 'first' });
      const second = new IamGroup(scope, 'second', { name: 'second' });
      new RosterUsers(scope, 'roster', { roster: roster(SAMPLE), createAfter: [first, second] });
    });
    const after = resources(JSON.parse(json) as Config);
    for (const name of ['alice_dot_martin', 'bo', 'carla__d']) {
      expect(after[`aws_iam_user.${name}`]).toMatchObject({
        depends_on: ['aws_iam_group.first', 'aws_iam_group.second'],
      });
      expect(after[`aws_iam_user_group_membership.${name}`]).not.toHaveProperty('depends_on');
    }
    expect(r['aws_iam_user.bo']).not.toHaveProperty('depends_on');
  });
});
