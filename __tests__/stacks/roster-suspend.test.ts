/**
 * Suspending in Terraform: the user, its groups and tags stay, AWSDenyAll is
 * attached and the `suspended` tag written (the function's cue); an end date
 * becomes its tag, and once its day has passed, the same suspension.
 */
import { Testing } from 'cdktf';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateRoster, type Roster } from '../../inputs/roster';
import { isSuspended, RosterUsers } from '../../stacks/roster-users';

type Body = Record<string, unknown>;
type Config = { resource: Record<string, Record<string, Body>> };

function roster(users: unknown[]): Roster {
  return validateRoster(
    parseJsonDocument('test.json', JSON.stringify({ groups: [{ groupName: 'dev' }], users })),
    undefined,
    // The fixtures' dates are checked against a fixed day, not the clock.
    { today: '2026-12-01' },
  );
}

function synth(users: unknown[], today: string): Config {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new RosterUsers(scope, 'roster', { roster: roster(users), today });
    }),
  ) as Config;
}

const ALICE = { userName: 'alice', email: 'alice@example.com', groups: ['dev'] };

describe('a suspended person', () => {
  const config = synth(
    [
      { ...ALICE, suspended: true },
      { userName: 'bo', email: 'bo@example.com' },
    ],
    '2026-12-02',
  );

  it('keeps the user and its groups, and carries AWSDenyAll and the suspended tag', () => {
    expect(config.resource.aws_iam_user.alice.tags).toMatchObject({
      suspended: 'true',
      email: 'alice@example.com',
    });
    expect(config.resource.aws_iam_user_group_membership.alice.groups).toEqual([
      '${aws_iam_group.iam-onboarding-users.name}',
      '${aws_iam_group.dev.name}',
    ]);
    expect(config.resource.aws_iam_user_policy_attachment).toEqual({
      suspended_alice: expect.objectContaining({
        user: '${aws_iam_user.alice.name}',
        policy_arn: 'arn:aws:iam::aws:policy/AWSDenyAll',
      }),
    });
  });

  it('is the only one: nobody else gets the tag or the attachment', () => {
    expect(config.resource.aws_iam_user.bo.tags).not.toHaveProperty('suspended');
    expect(Object.keys(config.resource.aws_iam_user_policy_attachment)).toEqual([
      'suspended_alice',
    ]);
  });

  it('reinstated (the field removed), has neither', () => {
    const back = synth([ALICE], '2026-12-02');
    expect(back.resource.aws_iam_user.alice.tags).not.toHaveProperty('suspended');
    expect(back.resource.aws_iam_user_policy_attachment).toBeUndefined();
  });
});

describe('an end date', () => {
  const person = { ...ALICE, accessUntil: '2026-12-31' };

  it('is a tag while it lasts, through its last day (UTC)', () => {
    for (const today of ['2026-12-01', '2026-12-31']) {
      const c = synth([person], today);
      expect(c.resource.aws_iam_user.alice.tags).toMatchObject({ 'access-until': '2026-12-31' });
      expect(c.resource.aws_iam_user.alice.tags).not.toHaveProperty('suspended');
      expect(c.resource.aws_iam_user_policy_attachment).toBeUndefined();
    }
  });

  it('suspends the person the day after', () => {
    const c = synth([person], '2027-01-01');
    expect(c.resource.aws_iam_user.alice.tags).toMatchObject({
      'access-until': '2026-12-31',
      suspended: 'true',
    });
    expect(Object.keys(c.resource.aws_iam_user_policy_attachment)).toEqual(['suspended_alice']);
  });

  it('isSuspended reads the field and the date alike', () => {
    const [p] = roster([person]).users;
    expect(isSuspended(p, '2026-12-31')).toBe(false);
    expect(isSuspended(p, '2027-01-01')).toBe(true);
    expect(isSuspended({ ...p, accessUntil: undefined, suspended: true }, '2026-12-01')).toBe(true);
  });
});
