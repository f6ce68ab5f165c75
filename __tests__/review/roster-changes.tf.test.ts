/**
 * The plan report on real Terraform plans of roster changes, made offline:
 * the base roster is planned, its plan turned into a state
 * (support/prior-state.ts), and each changed roster planned against that
 * state with -refresh=false. The full stack is planned, pipeline included,
 * so "no change" really means nothing in the stack changes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peopleAdded, planRecipients } from '../../review/email-preview';
import { planStack, type TerraformPlan } from '../../review/terraform-plan';
import {
  NO_CHANGES_LINE,
  renderPlanReport,
  type SynthesizedConfig,
} from '../../review/plan-report';
import { formatSummary, summarizePlan } from '../../review/plan-summary';
import { synthesize } from '../../stacks/synth';
import { applyOrder, changesIn, settledState, waitsFor } from '../support/prior-state';
import { BASE, CHANGES, writeRoster } from '../support/rosters';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-review-'));
const workDir = join(root, 'work', 'iam-onboarding');
let stateFile: string;
let settledPlan: TerraformPlan;

function planChange(
  name: keyof typeof CHANGES | 'base',
  settingsFile?: string,
): { plan: TerraformPlan; report: string } {
  const outdir = join(root, `${name}${settingsFile ? '-settings' : ''}`);
  mkdirSync(outdir, { recursive: true });
  const { stackDir } = synthesize({
    outdir,
    rosterFile: writeRoster(root, name, name === 'base' ? BASE : CHANGES[name]),
    ...(settingsFile ? { settingsFile } : {}),
  });
  const { plan } = planStack({
    stackDir,
    workDir,
    offline: true,
    priorState: stateFile,
    refresh: false,
  });
  const config = JSON.parse(
    readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'),
  ) as SynthesizedConfig;
  return { plan, report: renderPlanReport(plan, { config }) };
}

beforeAll(() => {
  const outdir = join(root, 'base');
  mkdirSync(outdir, { recursive: true });
  const { stackDir } = synthesize({ outdir, rosterFile: writeRoster(root, 'base', BASE) });
  ({ stateFile, settledPlan } = settledState(stackDir, workDir));
});

describe('plan report on plans of roster changes', () => {
  it('no change: says so in one line', () => {
    expect(changesIn(settledPlan)).toEqual([]);
    const report = renderPlanReport(settledPlan);
    expect(report).toBe(NO_CHANGES_LINE);
    expect(report.split('\n')).toHaveLength(1);
    expect(formatSummary(summarizePlan(settledPlan))).toMatch(/^No changes/);
  });

  it('add: the new person with address, groups and preview, nothing else', () => {
    const { plan, report } = planChange('add');
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_user.dan_dot_ng create',
      'aws_iam_user_group_membership.dan_dot_ng create',
    ]);
    expect(report).toContain('**People:** 1 to add, 0 renamed, 0 to change, 0 to remove.');
    expect(report).toMatch(
      /\| add \| `dan\.ng` \| Dan Ng; dan\.ng&#64;example\.com; groups: `developers` \|/,
    );
    expect(report).not.toContain('[!CAUTION]');
    expect(report).not.toContain('#### Pipeline');
    expect(report).toContain('1 person will get a welcome email');
    expect(peopleAdded(plan)).toEqual([
      { userName: 'dan.ng', email: 'dan.ng@example.com', displayName: 'Dan Ng' },
    ]);
  });

  it('remove: a loud warning naming the person', () => {
    const { plan, report } = planChange('remove');
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_user.carla_dot_diaz delete',
      'aws_iam_user_group_membership.carla_dot_diaz delete',
    ]);
    // One of three people is over the removal share (20% by default): both warnings.
    expect(report).toMatch(
      /> \[!CAUTION\]\n> - \*\*Removes 1 of 3 people \(33%\) this stack manages\*\*.*\n> - \*\*Removes 1 person: `carla\.diaz`\.\*\*/,
    );
    expect(report).toMatch(
      /\| \*\*remove\*\* \| `carla\.diaz` \| carla\.diaz&#64;example\.com; was in: `billing` \|/,
    );
    expect(report).not.toContain('welcome email');
    // The provider deletes with the prior state's force_destroy: it is what
    // removes the login profile the function made, MFA devices, access keys.
    const user = plan.resource_changes!.find((rc) => rc.address === 'aws_iam_user.carla_dot_diaz')!;
    expect(user.change.before).toMatchObject({ name: 'carla.diaz', force_destroy: true });
    // The membership goes first, then the user.
    expect(
      waitsFor(
        applyOrder(workDir),
        'aws_iam_user.carla_dot_diaz (destroy)',
        'aws_iam_user_group_membership.carla_dot_diaz (destroy)',
      ),
    ).toBe(true);
  });

  it('rename: recognised by the shared address, and warned about as a deletion', () => {
    const { plan, report } = planChange('rename');
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_user.bo_dot_chen delete',
      'aws_iam_user.bo_dot_chen2 create',
      'aws_iam_user_group_membership.bo_dot_chen delete',
      'aws_iam_user_group_membership.bo_dot_chen2 create',
    ]);
    expect(report).toContain('**People:** 0 to add, 1 renamed, 0 to change, 0 to remove.');
    expect(report).toMatch(
      /\[!CAUTION\][^]*Renaming `bo\.chen` to `bo\.chen2` deletes the old user/,
    );
    expect(report).toMatch(/\| \*\*rename\*\* \| `bo\.chen` → `bo\.chen2` \|/);
    // The new user gets a new email.
    expect(peopleAdded(plan).map((p) => p.userName)).toEqual(['bo.chen2']);
  });

  it('resend: the counter raised is an in-place tag change, reviewed as a resend', () => {
    const { plan, report } = planChange('resend');
    // Only the tag changes (IAM TagUser, which the pipeline listens for).
    expect(changesIn(plan).sort()).toEqual(['aws_iam_user.alice_dot_martin update']);
    expect(report).toContain('- resend welcome to `alice.martin` (counter 0 → 1)');
    expect(report).not.toContain('[!CAUTION]');
    expect(planRecipients(plan)).toEqual({
      welcome: [],
      resend: [expect.objectContaining({ userName: 'alice.martin' })],
    });
  });

  it('regroup and a changed field: which groups, which fields, no warning', () => {
    const { plan, report } = planChange('regroup');
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_user.carla_dot_diaz update',
      'aws_iam_user_group_membership.alice_dot_martin update',
    ]);
    expect(report).toContain('**People:** 0 to add, 0 renamed, 2 to change, 0 to remove.');
    expect(report).toContain('| change | `alice.martin` | groups: + `billing` |');
    expect(report).toContain(
      '| change | `carla.diaz` | display name: “Carla Díaz” → “Carla Díaz-Ruiz” |',
    );
    expect(report).not.toContain('[!CAUTION]');
    expect(peopleAdded(plan)).toEqual([]);
  });

  it('a group gaining a policy: widened, and broad access flagged', () => {
    const { plan, report } = planChange('widen');
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_group_policy_attachment.developers_policy_aws_slash_AdministratorAccess create',
      'aws_iam_group_policy_attachments_exclusive.developers update',
    ]);
    expect(report.split('\n')).toContain(
      '- group `developers`: policies + `arn:aws:iam::aws:policy/AdministratorAccess`',
    );
    expect(report).toMatch(/\[!CAUTION\][^]*\*\*Widens group `developers`\*\*/);
    expect(report).toMatch(/is granted `arn:aws:iam::aws:policy\/AdministratorAccess`/);
  });

  it('a group with two policies removed: detached one by one, then deleted', () => {
    const { plan, report } = planChange('dropGroup');
    const audit = 'aws_iam_group_policy_attachment.auditors_policy_aws_slash_SecurityAudit';
    const viewOnly =
      'aws_iam_group_policy_attachment.auditors_policy_aws_slash_job-function_slash_ViewOnlyAccess';
    expect(changesIn(plan).sort()).toEqual([
      'aws_iam_group.auditors delete',
      `${audit} delete`,
      `${viewOnly} delete`,
      'aws_iam_group_policy_attachments_exclusive.auditors delete',
      'aws_iam_user_group_membership.bo_dot_chen update',
    ]);
    // The order apply follows: the member leaves and every policy is detached
    // before the group is deleted (IAM refuses otherwise); the exclusive
    // resource, whose destroy detaches nothing, goes first.
    const edges = applyOrder(workDir);
    const destroy = (a: string) => `${a} (destroy)`;
    for (const attachment of [audit, viewOnly]) {
      expect(waitsFor(edges, destroy('aws_iam_group.auditors'), destroy(attachment))).toBe(true);
      expect(
        waitsFor(
          edges,
          destroy(attachment),
          destroy('aws_iam_group_policy_attachments_exclusive.auditors'),
        ),
      ).toBe(true);
    }
    expect(
      waitsFor(
        edges,
        destroy('aws_iam_group.auditors'),
        'aws_iam_user_group_membership.bo_dot_chen',
      ),
    ).toBe(true);
    expect(report.split('\n')).toContain(
      '- **group `auditors` deleted**: policies − `arn:aws:iam::aws:policy/SecurityAudit`, − `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`',
    );
    expect(report).toContain('| change | `bo.chen` | groups: − `auditors` |');
    expect(report).toMatch(/\[!WARNING\][^]*Group `auditors` is deleted/);
  });

  it('turning trail.create off: the trail is deleted, its log bucket forgotten, never deleted', () => {
    const settings = JSON.parse(readFileSync('config/settings.json', 'utf8'));
    const settingsFile = join(root, 'settings-no-trail.json');
    writeFileSync(settingsFile, JSON.stringify({ ...settings, trail: { create: false } }));
    const { plan, report } = planChange('base', settingsFile);
    expect(changesIn(plan).sort()).toEqual([
      'aws_cloudtrail.pipeline_trail_7F06326D delete',
      'aws_s3_bucket.pipeline_trail_bucket_B8C0107B forget',
      'aws_s3_bucket_ownership_controls.pipeline_trail_ownership_1627E47A forget',
      'aws_s3_bucket_policy.pipeline_trail_policy_806999A7 forget',
      'aws_s3_bucket_public_access_block.pipeline_trail_public-access-block_5E469D1B forget',
      'aws_s3_bucket_server_side_encryption_configuration.pipeline_trail_encryption_4271B8CF forget',
      'aws_s3_bucket_versioning.pipeline_trail_versioning_CE0E6201 forget',
    ]);
    expect(report).toMatch(/\[!CAUTION\][^]*\*\*Deletes the CloudTrail trail/);
    expect(report).toMatch(
      /\[!WARNING\][^]*Stops managing `aws_s3_bucket\.pipeline_trail_bucket_B8C0107B`: the trail log bucket stays in the account with every audit log/,
    );
    expect(report).toContain(
      '| `trail` | `aws_s3_bucket.pipeline_trail_bucket_B8C0107B` | forget (kept in the account) |  |',
    );
    expect(report).not.toMatch(/Deletes the trail log bucket/);
    expect(formatSummary(summarizePlan(plan))).toMatch(
      /trail +1 to remove, 6 to forget \(kept in the account\): aws_cloudtrail, aws_s3_bucket/,
    );
  });

  it('a full destroy with the trail on stops before deleting anything: the log bucket is protected', () => {
    planChange('base');
    const result = spawnSync(
      'terraform',
      ['plan', '-destroy', '-refresh=false', '-lock=false', '-input=false', '-no-color'],
      {
        cwd: workDir,
        encoding: 'utf8',
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: join(workDir, 'terraform.rc'),
          AWS_ACCESS_KEY_ID: 'offline-placeholder',
          AWS_SECRET_ACCESS_KEY: 'offline-placeholder',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Instance cannot be destroyed');
    expect(result.stderr).toContain('aws_s3_bucket.pipeline_trail_bucket_B8C0107B');
  });

  it('reordering groups, policies, people and their groups plans nothing', () => {
    const { plan, report } = planChange('reorder');
    expect(changesIn(plan)).toEqual([]);
    expect(report).toBe(NO_CHANGES_LINE);
  });
});
