import type { ResourceChange, TerraformPlan } from '../../review/terraform-plan';
import { formatSummary, partOf, summarizePlan } from '../../review/plan-summary';

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
      rename: [],
      // Created without the managed tags: the function would not welcome it.
      welcome: [],
      resend: [],
      suspend: [],
      reinstate: [],
      accessEnds: [],
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

  it('groups the other resources by the part of the stack their construct path names', () => {
    const meta = (path: string) => ({ '//': { metadata: { path } } });
    const config = {
      resource: {
        aws_sns_topic: { t: meta('iam-onboarding/pipeline/topic/topic') },
        aws_kms_key: { k: meta('iam-onboarding/pipeline/key/key') },
        aws_iam_group: { ops: meta('iam-onboarding/roster/group-ops') },
      },
    };
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [
        rc('aws_sns_topic', 't', ['create'], null, {}),
        rc('aws_kms_key', 'k', ['delete', 'create'], {}, {}),
        rc('aws_iam_group', 'ops', ['create'], null, { name: 'ops' }),
        // Deleted: no longer in the configuration, so the name tells the part.
        rc('aws_sqs_queue', 'pipeline_dead-letters_queue_5CFA39A0', ['delete'], {}, null),
      ],
    };
    expect(formatSummary(summarizePlan(plan, config)).split('\n').slice(3)).toEqual([
      'Other resources, by part of the stack:',
      '  dead-letters  1 to remove: aws_sqs_queue',
      '  key           1 to replace: aws_kms_key',
      '  roster        1 to add: aws_iam_group',
      '  topic         1 to add: aws_sns_topic',
    ]);
    expect(partOf({ type: 'aws_s3_bucket', name: 'unknown' })).toBe('other');
  });

  it('counts what a removed block forgets apart from what is destroyed', () => {
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [
        rc('aws_cloudtrail', 'pipeline_trail_7F06326D', ['delete'], {}, null),
        rc('aws_s3_bucket', 'pipeline_trail_bucket_B8C0107B', ['forget'], {}, null),
        rc('aws_s3_bucket_policy', 'pipeline_trail_policy_806999A7', ['forget'], {}, null),
      ],
    };
    const s = summarizePlan(plan);
    expect(s.noChanges).toBe(false);
    expect(s.parts.get('trail')?.get('aws_s3_bucket')).toEqual({
      add: 0,
      change: 0,
      replace: 0,
      remove: 0,
      forget: 1,
    });
    expect(formatSummary(s).split('\n').slice(3)).toEqual([
      'Other resources, by part of the stack:',
      '  trail  1 to remove, 2 to forget (kept in the account): aws_cloudtrail, aws_s3_bucket, aws_s3_bucket_policy',
    ]);
  });
});
