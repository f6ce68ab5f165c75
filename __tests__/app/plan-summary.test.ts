import type { ResourceChange, TerraformPlan } from '../../lib/offline-plan';
import { formatSummary, summarizePlan } from '../../lib/plan-summary';

function rc(
  type: string,
  name: string,
  actions: ResourceChange['change']['actions'],
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): ResourceChange {
  return {
    address: `${type}.${name}`,
    type,
    name,
    mode: 'managed',
    change: { actions, before, after },
  };
}

describe('summarizePlan', () => {
  it('says so in one line when nothing changes', () => {
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [rc('aws_iam_user', 'a', ['no-op'], { name: 'a' }, { name: 'a' })],
    };
    expect(formatSummary(summarizePlan(plan))).toBe(
      'No changes: the account already matches the roster.',
    );
  });

  it('names people added, changed and removed, and counts the rest by type', () => {
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [
        rc('aws_iam_user', 'new', ['create'], null, { name: 'new.person' }),
        rc('aws_iam_user_policy_attachment', 'new', ['create'], null, { user: 'new.person' }),
        rc('aws_iam_user', 'gone', ['delete'], { name: 'gone' }, null),
        rc('aws_iam_user_group_membership', 'gone', ['delete'], { user: 'gone' }, null),
        rc(
          'aws_iam_user',
          'c',
          ['update'],
          { name: 'c', tags: { email: 'a@x.com' } },
          { name: 'c', tags: { email: 'b@x.com' } },
        ),
        rc(
          'aws_iam_user_group_membership',
          'd',
          ['update'],
          { user: 'd', groups: ['x'] },
          { user: 'd', groups: ['y'] },
        ),
        rc('aws_iam_user_group_membership', 'e', ['create'], null, { user: 'e', groups: ['x'] }),
        rc('aws_iam_group', 'ops', ['create'], null, { name: 'ops' }),
        rc('aws_iam_group', 'dev', ['delete', 'create'], { name: 'dev' }, { name: 'dev' }),
        rc('aws_sns_topic', 't', ['update'], {}, {}),
      ],
    };
    const s = summarizePlan(plan);
    expect(s.people).toEqual({
      add: ['new.person'],
      remove: ['gone'],
      change: [
        { userName: 'c', what: ['tags'] },
        { userName: 'd', what: ['groups'] },
        { userName: 'e', what: ['groups added'] },
      ],
    });
    expect(formatSummary(s).split('\n')).toEqual([
      'People to add (1): new.person',
      'People to change (3): c (tags), d (groups), e (groups added)',
      'People to remove (1): gone',
      'Other resources:',
      '  aws_iam_group  1 to add, 1 to replace',
      '  aws_sns_topic  1 to change',
    ]);
  });
});
