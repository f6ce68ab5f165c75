/**
 * The real Terraform, offline: init, validate and plan the whole stack
 * (users and pipeline) with the provider from the local mirror, for both
 * shipped settings files. Uses review/terraform-plan.ts, as `npm run plan` does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { planStack, type ResourceChange } from '../../review/terraform-plan';
import type { Settings } from '../../inputs/settings';
import { IamOnboardingStack, STACK_NAME } from '../../stacks/iam-onboarding-stack';
import { fixtureCode, ROSTER, trailNoZone, zoneNoTrail } from '../support/stack';

// One Terraform working directory for the file: the provider is installed once.
const workDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-tf-'));

/** What `terraform show -json` says of a check block. */
interface CheckResult {
  readonly address: { readonly kind: string; readonly name: string };
  readonly status: 'pass' | 'fail' | 'error' | 'unknown';
  readonly instances?: readonly { readonly problems?: readonly { readonly message: string }[] }[];
}

let lastChecks: readonly CheckResult[] = [];

function plan(settings: Settings): readonly ResourceChange[] {
  const outdir = mkdtempSync(join(tmpdir(), 'iam-onboarding-synth-'));
  const app = new App({ outdir });
  new IamOnboardingStack(app, { roster: ROSTER, settings, welcomeCodeDir: fixtureCode() });
  app.synth();
  const stackDir = join(outdir, 'stacks', STACK_NAME);
  const result = planStack({ stackDir, workDir, offline: true });
  lastChecks = (result.plan as { checks?: CheckResult[] }).checks ?? [];
  return result.plan.resource_changes ?? [];
}

function creates(changes: readonly ResourceChange[], type: string): ResourceChange[] {
  return changes.filter((c) => c.type === type && c.change.actions.includes('create'));
}

describe('terraform validate and plan, offline', () => {
  test('trail created, no hosted zone (config/settings.json)', () => {
    const changes = plan(trailNoZone());
    expect(creates(changes, 'aws_iam_user').map((c) => c.change.after?.name)).toEqual(['alice']);
    expect(creates(changes, 'aws_cloudtrail')).toHaveLength(1);
    expect(creates(changes, 'aws_route53_record')).toHaveLength(0);
    expect(lastChecks).toEqual([]);
    for (const type of [
      'aws_cloudwatch_event_rule',
      'aws_cloudwatch_event_target',
      'aws_sns_topic_subscription',
      'aws_lambda_function',
      'aws_lambda_event_source_mapping',
      'aws_sqs_queue',
      'aws_sqs_queue_policy',
      'aws_iam_group_policy', // require MFA, on by default
      'aws_ses_domain_identity',
      'aws_ses_domain_dkim',
      'aws_ses_domain_mail_from',
      'aws_kms_key',
    ]) {
      expect(creates(changes, type).length).toBeGreaterThan(0);
    }
    const fn = creates(changes, 'aws_lambda_function')[0].change.after!;
    expect(fn.runtime).toBe('nodejs22.x');
    // -1 is the provider's "no reservation": a reservation fails on accounts whose quota is 10.
    expect(fn.reserved_concurrent_executions).toBe(-1);
    const [mapping] = creates(changes, 'aws_lambda_event_source_mapping');
    expect(mapping.change.after).toMatchObject({
      batch_size: 1,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: [{ maximum_concurrency: 2 }],
    });
    // Admin notices (email and Slack) and SES feedback, planned for real.
    expect(creates(changes, 'aws_ses_configuration_set')).toHaveLength(1);
    expect(creates(changes, 'aws_ses_event_destination')[0].change.after).toMatchObject({
      matching_types: expect.arrayContaining(['bounce', 'complaint', 'reject']),
      enabled: true,
    });
    expect(
      creates(changes, 'aws_sns_topic')
        .map((c) => c.change.after?.name as string)
        .sort(),
    ).toEqual([
      'iam-onboarding-admin-notices',
      'iam-onboarding-alerts',
      'iam-onboarding-ses-feedback',
      'iam-onboarding-user-created',
    ]);
    // The Slack URL is stored by hand: no parameter resource, nothing of it in the plan.
    expect(creates(changes, 'aws_ssm_parameter')).toEqual([]);
    expect(JSON.stringify(changes)).not.toMatch(/hooks\.slack\.com/);
  });

  test('existing trail, hosted zone (config/examples/existing-trail-with-zone.json)', () => {
    // Also the opt-in CIS password policy, planned for real.
    const changes = plan({
      ...zoneNoTrail(),
      security: { requireMfa: true, managePasswordPolicy: true },
    });
    expect(creates(changes, 'aws_iam_account_password_policy')[0].change.after).toMatchObject({
      minimum_password_length: 14,
      password_reuse_prevention: 24,
    });
    expect(creates(changes, 'aws_cloudtrail')).toHaveLength(0);
    expect(creates(changes, 'aws_s3_bucket')).toHaveLength(0);
    expect(creates(changes, 'aws_route53_record')).toHaveLength(6);
    expect(creates(changes, 'aws_ses_domain_identity_verification')).toHaveLength(1);
    // Welcome queue, SES feedback into it, two alert emails; no admin topic without admin addresses.
    expect(creates(changes, 'aws_sns_topic_subscription')).toHaveLength(4);
    expect(creates(changes, 'aws_sns_topic').map((c) => c.change.after?.name)).not.toContain(
      'iam-onboarding-admin-notices',
    );
    // The removed blocks for a trail bucket this state never held: nothing to forget or destroy.
    expect(
      changes.filter((c) => c.change.actions.some((a) => a === 'forget' || a === 'delete')),
    ).toEqual([]);
    // The hosted-zone check ran its data source (which asks ListHostedZones)
    // and, offline, could only warn: the plan itself succeeded.
    expect(creates(changes, 'aws_ses_domain_identity_verification')[0].change.after).toMatchObject({
      timeouts: { create: '10m' },
    });
    const check = lastChecks.find((c) => c.address.name === 'sender_hosted_zone');
    expect(check?.address.kind).toBe('check');
    expect(check?.status).not.toBe('pass');
    expect(JSON.stringify(check?.instances)).toContain('ListHostedZones');
  });
});
