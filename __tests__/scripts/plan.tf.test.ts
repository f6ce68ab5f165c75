/**
 * The main job with the real Terraform and AWS provider: synthesize the
 * shipped roster, then init, validate and plan offline.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hasAwsCredentials,
  planStack,
  TerraformError,
  type TerraformPlan,
} from '../../review/terraform-plan';
import { formatSummary, summarizePlan } from '../../review/plan-summary';
import { loadRoster } from '../../inputs/roster';
import { synthesize } from '../../stacks/synth';

describe('offline plan of the shipped roster', () => {
  const out = mkdtempSync(join(tmpdir(), 'iam-onboarding-plan-'));
  let plan: TerraformPlan;
  let stackDir: string;

  beforeAll(() => {
    stackDir = synthesize({ outdir: out, rosterFile: 'users/users.json' }).stackDir;
    plan = planStack({ stackDir, offline: true }).plan;
  });

  it('writes terraform show -json output beside the configuration', () => {
    const written = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')) as TerraformPlan;
    expect(written.format_version).toMatch(/^1\./);
    expect(written).toEqual(plan);
  });

  it('plans every person in the roster, by name', () => {
    const roster = loadRoster('users/users.json');
    const summary = summarizePlan(plan);
    expect(summary.people.add).toEqual(roster.users.map((u) => u.userName).sort());
    expect(summary.people.remove).toEqual([]);
    const users = plan.resource_changes!.filter((rc) => rc.type === 'aws_iam_user');
    for (const rc of users) {
      expect(rc.change.actions).toEqual(['create']);
      expect(rc.change.after).toMatchObject({ force_destroy: true, path: '/iam-onboarding/' });
    }
    expect(formatSummary(summary)).toContain(`People to add (${roster.users.length}): `);
  });

  it("names the pipeline's parts in the summary", () => {
    const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    const parts = [...summarizePlan(plan, config).parts.keys()];
    expect(parts).toEqual(
      expect.arrayContaining([
        'roster',
        'rule',
        'topic',
        'key',
        'welcome',
        'dead-letters',
        'alarms',
        'sender',
      ]),
    );
    expect(summarizePlan(plan, config).parts.get('welcome')?.get('aws_lambda_function')).toEqual({
      add: 1,
      change: 0,
      replace: 0,
      remove: 0,
      forget: 0,
    });
  });

  it('keeps the offline setting out of the configuration cdktf deploy uses', () => {
    const config = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
    expect(config).not.toContain('skip_credentials_validation');
    expect(config).not.toContain('offline-placeholder');
    expect(readdirSync(stackDir).filter((f) => f.includes('override'))).toEqual([]);
  });

  it('puts no secret or password anywhere in the plan', () => {
    const text = JSON.stringify(plan);
    expect(text).not.toMatch(/password"\s*:\s*"[^"]/i);
    expect(plan.resource_changes!.some((rc) => rc.type === 'aws_iam_user_login_profile')).toBe(
      false,
    );
  });

  it('reports a Terraform failure with its step and output', () => {
    const empty = mkdtempSync(join(tmpdir(), 'iam-onboarding-empty-'));
    expect(() => planStack({ stackDir: empty, offline: true })).toThrow(TerraformError);
    expect(existsSync(join(empty, 'plan.json'))).toBe(false);
  });
});

describe('hasAwsCredentials', () => {
  it('sees keys, profiles and web identity in the environment', () => {
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: 'AKIA' })).toBe(true);
    expect(hasAwsCredentials({ AWS_PROFILE: 'ci' })).toBe(true);
    expect(hasAwsCredentials({ AWS_WEB_IDENTITY_TOKEN_FILE: '/t' })).toBe(true);
  });
});
