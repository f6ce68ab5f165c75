/**
 * Issue 12: the deploy role allows every call the AWS provider makes to
 * create, read, update and delete every resource of the synthesized stack,
 * and the plan role every read call (review/rehearsal/provider-coverage.ts,
 * the table in review/rehearsal/provider-calls.ts). The stack is synthesized
 * with the real roster for both settings examples and with the opt-in
 * settings (password policy, reserved concurrency); the policies are read
 * as shipped, with the account id replaced as the guide says.
 */
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { loadRoster, type Roster } from '../../inputs/roster';
import { loadSettings, type Settings } from '../../inputs/settings';
import { PHASES, PROVIDER_CALLS } from '../../review/rehearsal/provider-calls';
import {
  describeRefusal,
  providerRequests,
  roleCoversProvider,
  type SynthesizedConfig,
} from '../../review/rehearsal/provider-coverage';
import { IamOnboardingStack } from '../../stacks/iam-onboarding-stack';
import { DEFAULT_SETTINGS_PATH, ZONE_SETTINGS_PATH, fixtureCode } from '../support/stack';

const roster = loadRoster('users/users.json');
const code = fixtureCode();

function synth(settings: Settings, people: Roster = roster): SynthesizedConfig {
  const stack = new IamOnboardingStack(Testing.app(), {
    roster: people,
    settings,
    welcomeCodeDir: code,
  });
  return JSON.parse(Testing.synth(stack, true)) as SynthesizedConfig;
}

const optIn = (): Settings => {
  const s = loadSettings(DEFAULT_SETTINGS_PATH);
  return {
    ...s,
    security: { ...s.security, managePasswordPolicy: true },
    delivery: { ...s.delivery, maximumConcurrency: 2, reservedConcurrency: 3 },
  };
};

/** The shipped roster with its first person suspended: AWSDenyAll attached to the user. */
const withSuspended: Roster = {
  ...roster,
  users: roster.users.map((u, i) => (i === 0 ? { ...u, suspended: true as const } : u)),
};

const CASES: [string, () => Settings, Roster?][] = [
  ['config/settings.json', () => loadSettings(DEFAULT_SETTINGS_PATH)],
  ['config/examples/existing-trail-with-zone.json', () => loadSettings(ZONE_SETTINGS_PATH)],
  ['the opt-in settings (password policy, reserved concurrency)', optIn],
  ['a suspended person', () => loadSettings(DEFAULT_SETTINGS_PATH), withSuspended],
];

/** A policy file as the guide has it installed: `sed s/123456789012/$ACCOUNT_ID/g`. */
const policy = (file: string, account: string): unknown =>
  JSON.parse(readFileSync(`docs/roles/${file}`, 'utf8').replaceAll('123456789012', account));

const configs = new Map(CASES.map(([name, settings, people]) => [name, synth(settings(), people)]));
const accountOf = (c: SynthesizedConfig) =>
  (c.provider?.aws?.[0]?.allowed_account_ids as string[])[0];

describe('the synthesized configurations', () => {
  it('together use every type of the table, and the table covers every type they use', () => {
    const used = new Set<string>();
    for (const c of configs.values()) {
      for (const t of Object.keys(c.resource ?? {})) used.add(t);
      for (const check of Object.values(c.check ?? {}))
        for (const t of Object.keys(check.data ?? {})) used.add(`data.${t}`);
      for (const t of Object.keys(c.data ?? {})) used.add(`data.${t}`);
    }
    expect([...used].sort()).toEqual(Object.keys(PROVIDER_CALLS).sort());
  });

  it('the opt-in settings bring the password policy and reserved concurrency', async () => {
    const c = configs.get(CASES[2][0])!;
    expect(Object.keys(c.resource ?? {})).toContain('aws_iam_account_password_policy');
    const { requests } = await providerRequests(c, 'create');
    expect(requests.map((r) => r.action)).toContain('lambda:PutFunctionConcurrency');
  });

  it('only the trail bucket and its settings are never deleted', async () => {
    const { kept } = await providerRequests(configs.get(CASES[0][0])!, 'delete');
    expect(kept.map((a) => a.split('.')[0]).sort()).toEqual([
      'aws_s3_bucket',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
  });
});

describe.each(CASES.map(([name]) => name))('with %s', (name) => {
  const config = configs.get(name)!;
  const account = accountOf(config);

  it.each(PHASES)('the deploy role allows every %s call', async (phase) => {
    const refused = await roleCoversProvider(config, policy('deploy-policy.json', account), phase);
    expect(refused.map(describeRefusal)).toEqual([]);
  });

  it('the plan role allows every read call', async () => {
    const refused = await roleCoversProvider(config, policy('plan-policy.json', account), 'read', {
      principal: `arn:aws:iam::${account}:role/iam-onboarding-plan`,
    });
    expect(refused.map(describeRefusal)).toEqual([]);
  });
});

describe('the check can fail', () => {
  const config = configs.get(CASES[0][0])!;
  const without = (action: string): unknown => {
    const doc = policy('deploy-policy.json', '123456789012') as {
      Statement: { Action: string[] }[];
    };
    for (const s of doc.Statement) s.Action = s.Action.filter((a) => a !== action);
    return doc;
  };

  it('reports exactly the call a policy lacks, with its resource address', async () => {
    const refused = await roleCoversProvider(
      config,
      without('lambda:CreateEventSourceMapping'),
      'create',
    );
    expect(refused.map((r) => [r.address, r.action, r.resource])).toEqual([
      [
        'aws_lambda_event_source_mapping.pipeline_welcome_queue_BB5BDB73',
        'lambda:CreateEventSourceMapping',
        '*',
      ],
    ]);
  });

  it('reports a group policy write on the group it is for', async () => {
    const refused = await roleCoversProvider(config, without('iam:PutGroupPolicy'), 'update');
    expect(refused.map((r) => [r.address, r.action, r.resource])).toEqual([
      [
        'aws_iam_group_policy.require-mfa_policy_1EB00FEF',
        'iam:PutGroupPolicy',
        'arn:aws:iam::123456789012:group/iam-onboarding/iam-onboarding-users',
      ],
    ]);
  });

  it('reports a resource type the table does not know', async () => {
    const extra: SynthesizedConfig = {
      ...config,
      resource: { ...config.resource, aws_ssm_parameter: { p: { name: 'x' } } },
    };
    const refused = await roleCoversProvider(
      extra,
      policy('deploy-policy.json', '123456789012'),
      'read',
    );
    expect(refused.map((r) => r.address)).toEqual(['aws_ssm_parameter.p']);
  });
});
