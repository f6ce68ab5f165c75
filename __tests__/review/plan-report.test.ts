/** The plan report on small hand-made plans: warnings, grouping, escaping, limits. */
import type { ResourceChange, TerraformPlan } from '../../review/terraform-plan';
import {
  MAX_REPORT_LENGTH,
  md,
  NO_CHANGES_LINE,
  renderPlanReport,
  type SynthesizedConfig,
} from '../../review/plan-report';

type Actions = ResourceChange['change']['actions'];

function rc(
  address: string,
  actions: Actions,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): ResourceChange {
  const [type, name] = address.split('.') as [string, string];
  return {
    address,
    type,
    name,
    mode: 'managed',
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

const plan = (...changes: ResourceChange[]): TerraformPlan => ({
  format_version: '1.2',
  resource_changes: changes,
});

const user = (name: string, email: string, displayName?: string) => ({
  name,
  path: '/iam-onboarding/',
  force_destroy: true,
  tags: {
    'managed-by': 'iam-onboarding',
    email,
    ...(displayName ? { 'display-name': displayName } : {}),
  },
});

const caution = (report: string) => /> \[!CAUTION\]\n((?:> .*\n)+)/.exec(report)?.[1] ?? '';

describe('renderPlanReport: warnings', () => {
  it('no managed change at all (reads and no-ops only) is one line', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_iam_user.a', ['no-op'], user('a', 'a@example.com'), user('a', 'a@example.com')),
        { ...rc('aws_iam_policy_document.x', ['read'], null, {}), mode: 'data' },
      ),
    );
    expect(report).toBe(NO_CHANGES_LINE);
    expect(renderPlanReport({ format_version: '1.2' })).toBe(NO_CHANGES_LINE);
  });

  it('turning on the account baselines is a caution naming who is affected', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_iam_group_policy.require_mfa', ['create'], null, { name: 'require-mfa' }),
        rc('aws_iam_account_password_policy.cis', ['create'], null, {
          minimum_password_length: 14,
        }),
      ),
    );
    expect(caution(report)).toContain('Requires MFA of every managed person');
    expect(caution(report)).toContain("Sets the account's password policy");
    const off = renderPlanReport(
      plan(rc('aws_iam_group_policy.require_mfa', ['delete'], { name: 'require-mfa' }, null)),
    );
    expect(caution(off)).toContain('Stops requiring MFA');
  });

  it('a user delete is a loud removal', () => {
    const report = renderPlanReport(
      plan(rc('aws_iam_user.bob', ['delete'], user('bob', 'bob@example.com'), null)),
    );
    expect(caution(report)).toContain('**Removes 1 person: `bob`.**');
  });

  it('a user replaced in place is loud too (password and keys lost)', () => {
    const report = renderPlanReport(
      plan(
        rc(
          'aws_iam_user.bob',
          ['delete', 'create'],
          user('bob', 'bob@example.com'),
          { ...user('bob', 'bob@example.com'), path: '/other/' },
          { replace_paths: [['path']] },
        ),
      ),
    );
    expect(caution(report)).toContain('`bob` is deleted and re-created');
    expect(caution(report)).toContain('forced by `path`');
  });

  it('a group policy list that gains a policy is widened; one that only loses is not', () => {
    const widened = renderPlanReport(
      plan(
        rc(
          'aws_iam_group_policy_attachments_exclusive.ops',
          ['update'],
          { group_name: 'ops', policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
          {
            group_name: 'ops',
            policy_arns: [
              'arn:aws:iam::aws:policy/ReadOnlyAccess',
              'arn:aws:iam::123456789012:policy/deploy',
            ],
          },
        ),
      ),
    );
    expect(caution(widened)).toContain(
      '**Widens group `ops`**: adds `arn:aws:iam::123456789012:policy/deploy`',
    );
    const narrowed = renderPlanReport(
      plan(
        rc(
          'aws_iam_group_policy_attachments_exclusive.ops',
          ['update'],
          { group_name: 'ops', policy_arns: ['arn:a', 'arn:b'] },
          { group_name: 'ops', policy_arns: ['arn:a'] },
        ),
      ),
    );
    expect(narrowed).not.toContain('[!CAUTION]');
    expect(narrowed).toContain('- group `ops`: policies − `arn:b`');
  });

  it('a policy seen both in the exclusive list and as its own attachment counts once', () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const report = renderPlanReport(
      plan(
        rc(
          'aws_iam_group_policy_attachments_exclusive.ops',
          ['update'],
          { group_name: 'ops', policy_arns: ['arn:a'] },
          { group_name: 'ops', policy_arns: ['arn:a', admin] },
        ),
        rc(
          'aws_iam_group_policy_attachment.ops_policy_aws_slash_AdministratorAccess',
          ['create'],
          null,
          {
            group: 'ops',
            policy_arn: admin,
          },
        ),
      ),
    );
    expect(report.split('\n')).toContain(`- group \`ops\`: policies + \`${admin}\``);
    expect(caution(report)).toContain(`**Widens group \`ops\`**: adds \`${admin}\`; every member`);
    expect(report).toContain('**Groups:** 1 group to change.');
  });

  it('a deleted group lists the policies its attachments detach', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_iam_group.ops', ['delete'], { name: 'ops' }, null),
        rc(
          'aws_iam_group_policy_attachments_exclusive.ops',
          ['delete'],
          { group_name: 'ops', policy_arns: ['arn:a', 'arn:b'] },
          null,
        ),
        rc(
          'aws_iam_group_policy_attachment.ops_policy_a',
          ['delete'],
          { group: 'ops', policy_arn: 'arn:a' },
          null,
        ),
        rc(
          'aws_iam_group_policy_attachment.ops_policy_b',
          ['delete'],
          { group: 'ops', policy_arn: 'arn:b' },
          null,
        ),
      ),
    );
    expect(report.split('\n')).toContain(
      '- **group `ops` deleted**: policies − `arn:a`, − `arn:b`',
    );
    expect(report).toMatch(/\[!WARNING\][^]*Group `ops` is deleted: its members lose/);
    expect(report).not.toContain('#### Pipeline');
  });

  it('a new group is not "widened", unless it grants administrator access', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_iam_group.admins', ['create'], null, { name: 'admins' }),
        rc('aws_iam_group_policy_attachments_exclusive.admins', ['create'], null, {
          group_name: 'admins',
          policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        }),
      ),
    );
    expect(report).toContain(
      '- new group `admins`: policies + `arn:aws:iam::aws:policy/AdministratorAccess`',
    );
    expect(caution(report)).not.toContain('Widens');
    expect(caution(report)).toContain('Group `admins` is granted');
  });

  it.each([
    ['aws_cloudtrail.pipeline_trail_1', 'the CloudTrail trail'],
    ['aws_sns_topic.pipeline_topic_1', 'an SNS topic'],
    ['aws_kms_key.pipeline_key_1', 'the KMS key'],
  ])('%s replaced or deleted is loud', (address, what) => {
    const replaced = renderPlanReport(
      plan(
        rc(
          address,
          ['create', 'delete'],
          { name: 'x' },
          { name: 'y' },
          { replace_paths: [['name']] },
        ),
      ),
    );
    expect(caution(replaced)).toContain(`**Replaces ${what}`);
    expect(caution(replaced)).toContain('forced by `name`');
    const deleted = renderPlanReport(plan(rc(address, ['delete'], { name: 'x' }, null)));
    expect(caution(deleted)).toContain(`**Deletes ${what}`);
    const updated = renderPlanReport(
      plan(rc(address, ['update'], { name: 'x', tags: {} }, { name: 'x', tags: { a: 'b' } })),
    );
    expect(updated).not.toContain('[!CAUTION]');
  });

  it('turning trail logging off is loud; an access policy change is a warning', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_cloudtrail.t', ['update'], { enable_logging: true }, { enable_logging: false }),
        rc('aws_sns_topic_policy.p', ['update'], { policy: '{}' }, { policy: '{"a":1}' }),
      ),
    );
    expect(caution(report)).toContain("Turns the CloudTrail trail's logging off");
    expect(report).toMatch(
      /> \[!WARNING\]\n> - Changes a topic access policy: `aws_sns_topic_policy\.p`/,
    );
  });
});

describe('renderPlanReport: what the stack stops managing', () => {
  it('a forgotten log bucket is a warning that it stays, never a deletion', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_s3_bucket.pipeline_trail_bucket_B8C0107B', ['forget'], { bucket: 'logs' }, null),
        rc('aws_s3_bucket_versioning.pipeline_trail_versioning_CE0E6201', ['forget'], {}, null),
      ),
    );
    expect(report).not.toContain('[!CAUTION]');
    expect(report).toContain(
      '> - Stops managing `aws_s3_bucket.pipeline_trail_bucket_B8C0107B`: the trail log bucket stays in the account with every audit log, but this stack no longer manages it.',
    );
    expect(report).toContain(
      '> - Stops managing `aws_s3_bucket_versioning.pipeline_trail_versioning_CE0E6201`: it stays in the account as it is',
    );
    expect(report).toContain(
      '| `trail` | `aws_s3_bucket.pipeline_trail_bucket_B8C0107B` | forget (kept in the account) |  |',
    );
    expect(report).toContain('**Pipeline:** 2 resources to forget (kept in the account).');
  });

  it('a forgotten user is not reported as removed', () => {
    const report = renderPlanReport(
      plan(rc('aws_iam_user.bob', ['forget'], user('bob', 'bob@example.com'), null)),
    );
    expect(report).toContain('0 to remove');
    expect(report).toContain(
      '| change | `bob` | no longer managed: the IAM user stays in the account |',
    );
    expect(report).toMatch(/\[!WARNING\][^]*`bob` is no longer managed by this stack/);
  });
});

describe('renderPlanReport: grouping and text', () => {
  it('groups pipeline changes by the part in their construct path', () => {
    const config: SynthesizedConfig = {
      resource: {
        aws_lambda_function: {
          fn: { '//': { metadata: { path: 'iam-onboarding/pipeline/welcome/function' } } },
        },
        aws_cloudwatch_metric_alarm: {
          a1: { '//': { metadata: { path: 'iam-onboarding/pipeline/alarms/errors' } } },
        },
      },
    };
    const report = renderPlanReport(
      plan(
        rc('aws_lambda_function.fn', ['update'], { memory_size: 128 }, { memory_size: 256 }),
        rc('aws_cloudwatch_metric_alarm.a1', ['create'], null, {}),
        // Deleted: not in the configuration any more; the part comes from cdktf's name.
        rc('aws_sqs_queue.pipeline_dead-letters_queue_ABC', ['delete'], {}, null),
      ),
      { config },
    );
    const rows = report.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual([
      '| `alarms` | `aws_cloudwatch_metric_alarm.a1` | create |  |',
      '| `dead-letters` | `aws_sqs_queue.pipeline_dead-letters_queue_ABC` | **delete** |  |',
      '| `welcome` | `aws_lambda_function.fn` | update | `memory_size` |',
    ]);
    expect(report).toMatch(
      /\[!WARNING\][^]*Deletes `aws_sqs_queue\.pipeline_dead-letters_queue_ABC`/,
    );
  });

  it('escapes what comes from the roster: no HTML, links, mentions or broken tables', () => {
    const hostile = '<img src=x onerror=alert(1)> | @octocat [x](http://evil) #1 **b**';
    const report = renderPlanReport(
      plan(rc('aws_iam_user.eve', ['create'], null, user('eve', 'eve@example.com', hostile))),
    );
    expect(report).not.toContain('<img');
    expect(report).not.toContain('@octocat');
    expect(report).not.toContain('](http');
    const row = report.split('\n').find((l) => l.startsWith('| add |'))!;
    // Exactly the table's own four pipes.
    expect(row.split('|')).toHaveLength(5);
    expect(md('a|b')).toBe('a&#124;b');
    expect(md('line\nbreak')).toBe('line break');
  });

  it('shows format characters and defangs bare URLs of roster values, in text and in code', () => {
    const rlo = '\u202e';
    const zwsp = '\u200b';
    const report = renderPlanReport(
      plan(
        rc(
          'aws_iam_user.eve',
          ['create'],
          null,
          user(
            `eve${zwsp}`,
            'eve@example.com',
            `Eve${rlo} https://evil.example www.evil.example @here`,
          ),
        ),
      ),
    );
    // Nothing that hides or reorders text, nothing GitHub would link or mention.
    expect(report).not.toMatch(/\p{Cf}/u);
    expect(report).not.toMatch(/https?:\/\/evil|www\.evil|(^|\s)@here/m);
    const row = report.split('\n').find((l) => l.startsWith('| add |'))!;
    expect(row).toContain('`eve\\u200b`');
    expect(row).toContain(
      'Eve\\\\u202e hxxps\\[:\\]//evil\\[.\\]example www\\[.\\]evil\\[.\\]example &#64;here',
    );
    expect(md(`[x](http://e)`)).toBe('\\[x\\]\\(hxxp\\[:\\]//e\\)');
  });

  it('lists previews, and links them when given a URL', () => {
    const p = plan(rc('aws_iam_user.a', ['create'], null, user('a', 'a@example.com')));
    expect(renderPlanReport(p)).toContain('Run `npm run preview` to see them.');
    const report = renderPlanReport(p, {
      previews: {
        files: [
          { userName: 'a', html: 'cdktf.out/previews/a.html', text: 'cdktf.out/previews/a.txt' },
        ],
        url: 'https://github.com/o/r/actions/runs/1/artifacts/2',
      },
    });
    expect(report).toContain('- `a`: `cdktf.out/previews/a.html`, `cdktf.out/previews/a.txt`');
    expect(report).toContain(
      '([download the previews](https://github.com/o/r/actions/runs/1/artifacts/2))',
    );
  });

  it('says who gets a Slack direct message, and lists its previews', () => {
    const sam = user('sam', 'sam@example.com');
    const p = plan(
      rc('aws_iam_user.sam', ['create'], null, {
        ...sam,
        tags: { ...sam.tags, 'delivery-channel': 'slack' },
      }),
    );
    const report = renderPlanReport(p, {
      previews: {
        files: [
          {
            userName: 'sam',
            html: 'p/welcome-sam.html',
            text: 'p/welcome-sam.txt',
            slack: { html: 'p/welcome-sam.slack.html', json: 'p/welcome-sam.slack.json' },
          },
        ],
      },
    });
    expect(report).toContain('- welcome `sam` (by Slack direct message)');
    expect(report).toContain(
      '- `sam`: `p/welcome-sam.html`, `p/welcome-sam.txt`; Slack DM: `p/welcome-sam.slack.html`, `p/welcome-sam.slack.json`',
    );
  });

  it('stays within a comment for a huge roster', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      rc(
        `aws_iam_user.u${i}`,
        ['create'],
        null,
        user(`user-${i}`, `user-${i}@example.com`, `Person ${i}`),
      ),
    );
    const report = renderPlanReport(plan(...many));
    expect(report.length).toBeLessThanOrEqual(MAX_REPORT_LENGTH + 200);
    expect(report).toContain('**People:** 3000 to add');
    expect(report).toContain('… and 2800 more');
  });
});

describe('renderPlanReport: counts and large removals', () => {
  const kept = (n: string) =>
    rc(`aws_iam_user.${n}`, ['no-op'], user(n, `${n}@example.com`), user(n, `${n}@example.com`));
  const gone = (n: string) =>
    rc(`aws_iam_user.${n}`, ['delete'], user(n, `${n}@example.com`), null);
  const SHARE_CAUTION =
    /\*\*Removes (\d+) of (\d+) people \((\d+)%\) this stack manages\*\*, more than (\d+)%/;

  it('counts new groups and pipeline resources as to add, each action apart', () => {
    const report = renderPlanReport(
      plan(
        rc('aws_iam_group.ops', ['create'], null, { name: 'ops' }),
        rc(
          'aws_iam_group.dev',
          ['update'],
          { name: 'dev', path: '/a/' },
          { name: 'dev', path: '/b/' },
        ),
        rc('aws_sns_topic.pipeline_topic_A', ['create'], null, { name: 't' }),
        rc('aws_sqs_queue.pipeline_queue_B', ['create'], null, { name: 'q' }),
        rc('aws_sqs_queue.pipeline_queue_C', ['delete'], { name: 'old' }, null),
      ),
    );
    expect(report).toContain(
      '**Groups:** 1 group to add, 1 to change. **Pipeline:** 2 resources to add, 1 to remove.',
    );
    expect(renderPlanReport(plan(gone('a'), kept('b')))).toContain(
      '**Groups:** no groups. **Pipeline:** no resources.',
    );
  });

  it('a CAUTION of its own when more than 20% of the people managed now are removed', () => {
    const report = renderPlanReport(plan(gone('a'), gone('b'), kept('c'), kept('d'), kept('e')));
    expect(SHARE_CAUTION.exec(caution(report))?.slice(1)).toEqual(['2', '5', '40', '20']);
    expect(caution(report)).toContain('`ROSTER_REMOVAL_WARNING_SHARE`');
    // The plain removal caution stays too.
    expect(caution(report)).toContain('**Removes 2 people: `a`, `b`.**');
  });

  it('none at or below the share, which the caller sets', () => {
    const one = plan(gone('a'), kept('b'), kept('c'), kept('d'), kept('e'));
    expect(caution(renderPlanReport(one))).not.toMatch(SHARE_CAUTION);
    const two = plan(gone('a'), gone('b'), kept('c'), kept('d'), kept('e'));
    expect(caution(renderPlanReport(two, { removalWarningShare: 0.5 }))).not.toMatch(SHARE_CAUTION);
    expect(caution(renderPlanReport(two, { removalWarningShare: 0.1 }))).toMatch(SHARE_CAUTION);
  });

  it('an emptied roster removes everyone: 100%', () => {
    const report = renderPlanReport(plan(gone('a'), gone('b')));
    expect(SHARE_CAUTION.exec(caution(report))?.slice(1)).toEqual(['2', '2', '100', '20']);
  });
});
