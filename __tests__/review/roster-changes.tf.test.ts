/**
 * The plan report on real Terraform plans of roster changes, made offline:
 * the base roster is planned, its plan turned into a state
 * (support/prior-state.ts), and each changed roster planned against that
 * state with -refresh=false. The full stack is planned, pipeline included,
 * so "no change" really means nothing in the stack changes.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peopleAdded } from '../../lib/email-preview';
import { planStack, type TerraformPlan } from '../../lib/offline-plan';
import { NO_CHANGES_LINE, renderPlanReport, type SynthesizedConfig } from '../../lib/plan-report';
import { formatSummary, summarizePlan } from '../../lib/plan-summary';
import { synthesize } from '../../lib/synth';
import { changesIn, settledState } from './support/prior-state';
import { BASE, CHANGES, writeRoster } from './support/rosters';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-review-'));
const workDir = join(root, 'work', 'iam-onboarding');
let stateFile: string;
let settledPlan: TerraformPlan;

function planChange(name: keyof typeof CHANGES): { plan: TerraformPlan; report: string } {
  const outdir = join(root, name);
  mkdirSync(outdir, { recursive: true });
  const { stackDir } = synthesize({ outdir, rosterFile: writeRoster(root, name, CHANGES[name]) });
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
    expect(report).toMatch(/> \[!CAUTION\]\n> - \*\*Removes 1 person: `carla\.diaz`\.\*\*/);
    expect(report).toMatch(
      /\| \*\*remove\*\* \| `carla\.diaz` \| carla\.diaz&#64;example\.com; was in: `billing` \|/,
    );
    expect(report).not.toContain('welcome email');
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
    expect(changesIn(plan)).toEqual([
      'aws_iam_group_policy_attachments_exclusive.developers update',
    ]);
    expect(report).toContain(
      '- group `developers`: policies + `arn:aws:iam::aws:policy/AdministratorAccess`',
    );
    expect(report).toMatch(/\[!CAUTION\][^]*\*\*Widens group `developers`\*\*/);
    expect(report).toMatch(/is granted `arn:aws:iam::aws:policy\/AdministratorAccess`/);
  });
});
