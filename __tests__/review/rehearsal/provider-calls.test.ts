/**
 * Issue 21: the provider-call table (review/rehearsal/provider-calls.ts)
 * follows the calls recorded in the emulator (provider-calls.json, `npm run
 * provider-calls`) plus a short hand-kept list; both roles grant every
 * recorded call (deploy: all; plan: the reads). The recording itself is
 * re-made and compared in __tests__/emulator/provider-calls.emu.test.ts.
 */
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { loadRoster } from '../../../inputs/roster';
import { loadSettings } from '../../../inputs/settings';
import {
  HAND_KEPT,
  PHASES,
  PROVIDER_CALLS,
  RECORD,
  RECORD_FILE,
  deriveProviderCalls,
  type Phase,
  type RecordedCall,
} from '../../../review/rehearsal/provider-calls';
import { RECORD_PATH } from '../../../emulator/provider-record';
import { actionsOf } from '../../../review/rehearsal/provider-operations';
import {
  describeRefusal,
  providerRequests,
  roleCoversProvider,
  type SynthesizedConfig,
} from '../../../review/rehearsal/provider-coverage';
import { IamOnboardingStack } from '../../../stacks/iam-onboarding-stack';
import { DEFAULT_SETTINGS_PATH, fixtureCode } from '../../support/stack';

const name = (c: RecordedCall) => `${c.type} ${c.phase} ${c.operation}`;

/** A recorded call's actions the table lists for it (plain list, or its type's conditional tags/optIn). */
function listed(c: RecordedCall): string[] {
  const e = PROVIDER_CALLS[c.type];
  if (!e) return [];
  const lists = [
    ...e[c.phase],
    ...(c.phase === 'create' || c.phase === 'update' ? e.read : []),
    ...(e.tags ?? []),
    ...(e.optIn ?? []).flatMap((o) => o.calls),
  ];
  return c.actions.filter((a) => lists.includes(a));
}

describe('the record', () => {
  it('names the provider the stack is built with', () => {
    const pkg = JSON.parse(
      readFileSync(require.resolve('@cdktf/provider-aws/package.json'), 'utf8'),
    ) as { cdktf: { provider: { version: string } } };
    expect(RECORD.provider).toBe(`hashicorp/aws ${pkg.cdktf.provider.version}`);
  });

  it('is sorted, each (type, phase, operation) once, and its actions follow provider-operations.ts', () => {
    const order = (c: RecordedCall) => [c.type, PHASES.indexOf(c.phase), c.operation] as const;
    const sorted = [...RECORD.calls].sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      return x[0].localeCompare(y[0]) || x[1] - y[1] || x[2].localeCompare(y[2]);
    });
    expect(RECORD.calls.map(name)).toEqual(sorted.map(name));
    expect(new Set(RECORD.calls.map(name)).size).toBe(RECORD.calls.length);
    const wrong = RECORD.calls.filter((c) => {
      const [service, operation] = c.operation.split(/:(?=[^:]+$)/);
      return JSON.stringify(actionsOf(service, operation)) !== JSON.stringify(c.actions);
    });
    expect(wrong.map(name)).toEqual([]);
  });

  it('shows the subscription read of PR #42093: ListSubscriptionsByTopic', () => {
    expect(
      RECORD.calls
        .filter(
          (c) =>
            c.type === 'aws_sns_topic_subscription' &&
            c.operation === 'SNS:ListSubscriptionsByTopic',
        )
        .map((c) => c.phase),
    ).toEqual(expect.arrayContaining(['create', 'read']));
  });

  it('is the committed file, as written, where the script writes it', () => {
    expect(RECORD_PATH).toBe(RECORD_FILE);
    expect(JSON.parse(readFileSync(RECORD_FILE, 'utf8'))).toEqual(RECORD);
  });
});

describe('the table', () => {
  it('lists every recorded call under its type and phase', () => {
    const missing = RECORD.calls
      .filter((c) => listed(c).length !== c.actions.length)
      .map((c) => `${name(c)} -> ${c.actions.join(' ')}`);
    expect(missing).toEqual([]);
  });

  it('is the record plus the hand-kept calls, nothing else', () => {
    expect(deriveProviderCalls(RECORD, HAND_KEPT)).toEqual(PROVIDER_CALLS);
    const fromRecord = deriveProviderCalls(RECORD, {});
    const extra: string[] = [];
    for (const [type, entry] of Object.entries(PROVIDER_CALLS))
      for (const phase of PHASES)
        for (const a of entry[phase])
          if (!fromRecord[type]?.[phase].includes(a) && !HAND_KEPT[type]?.[phase]?.includes(a))
            extra.push(`${type} ${phase} ${a}`);
    expect(extra).toEqual([]);
  });

  it('hand-keeps no call the record shows (drop it from HAND_KEPT)', () => {
    const recorded = new Set(
      RECORD.calls.flatMap((c) => c.actions.map((a) => `${c.type} ${c.phase} ${a}`)),
    );
    const redundant = Object.entries(HAND_KEPT).flatMap(([type, h]) =>
      PHASES.flatMap((p: Phase) => (h[p] ?? []).map((a) => `${type} ${p} ${a}`)).filter((k) =>
        recorded.has(k),
      ),
    );
    expect(redundant).toEqual([]);
  });

  it('says where each hand-kept call comes from', () => {
    const unsourced = Object.entries(HAND_KEPT)
      .filter(([, h]) => !/internal\/service\/[a-z0-9]+\/[a-z_]+\.go/.test(h.source))
      .map(([type]) => type);
    expect(unsourced).toEqual([]);
  });
});

describe('both roles grant every recorded call', () => {
  const roster = loadRoster('users/users.json');
  const settings = loadSettings(DEFAULT_SETTINGS_PATH);
  const config = JSON.parse(
    Testing.synth(
      new IamOnboardingStack(Testing.app(), {
        roster: {
          ...roster,
          users: roster.users.map((u, i) => (i === 0 ? { ...u, suspended: true as const } : u)),
        },
        settings: {
          ...settings,
          security: { ...settings.security, managePasswordPolicy: true },
          delivery: { ...settings.delivery, maximumConcurrency: 2, reservedConcurrency: 3 },
        },
        welcomeCodeDir: fixtureCode(),
      }),
      true,
    ),
  ) as SynthesizedConfig;
  const account = (config.provider?.aws?.[0]?.allowed_account_ids as string[])[0];
  const policy = (file: string, without?: string): unknown => {
    const doc = JSON.parse(
      readFileSync(`docs/roles/${file}`, 'utf8').replaceAll('123456789012', account),
    ) as { Statement: { Action: string | string[] }[] };
    if (without)
      for (const s of doc.Statement)
        s.Action = ([] as string[]).concat(s.Action).filter((a) => a !== without);
    return doc;
  };
  const recordedIn = (phases: readonly Phase[]) =>
    [...new Set(RECORD.calls.filter((c) => phases.includes(c.phase)).flatMap((c) => c.actions))]
      .map((a) => a.split('@')[0])
      .sort();

  it.each(PHASES)(
    'the checked %s requests include every recorded call of a type the stack has',
    async (phase) => {
      const { requests } = await providerRequests(config, phase);
      const types = new Set(Object.keys(config.resource ?? {}));
      const asked = new Set(requests.map((r) => r.action));
      const unasked = RECORD.calls
        .filter((c) => c.phase === phase && types.has(c.type))
        .flatMap((c) =>
          c.actions
            .map((a) => a.split('@')[0])
            .filter((a) => !asked.has(a))
            .map((a) => `${name(c)}: ${a}`),
        );
      expect(unasked).toEqual([]);
    },
  );

  it.each(PHASES)('the deploy role allows every %s call', async (phase) => {
    expect(recordedIn([phase]).length).toBeGreaterThan(0);
    const refused = await roleCoversProvider(config, policy('deploy-policy.json'), phase);
    expect(refused.map(describeRefusal)).toEqual([]);
  });

  it('the plan role allows every read call', async () => {
    const refused = await roleCoversProvider(config, policy('plan-policy.json'), 'read', {
      principal: `arn:aws:iam::${account}:role/iam-onboarding-plan`,
    });
    expect(refused.map(describeRefusal)).toEqual([]);
  });

  it('a plan role without ListSubscriptionsByTopic is refused it, by name, on each subscription', async () => {
    const refused = await roleCoversProvider(
      config,
      policy('plan-policy.json', 'sns:ListSubscriptionsByTopic'),
      'read',
      { principal: `arn:aws:iam::${account}:role/iam-onboarding-plan` },
    );
    const subscriptions = Object.keys(config.resource?.aws_sns_topic_subscription ?? {});
    expect(subscriptions.length).toBeGreaterThan(0);
    expect(refused.map((r) => [r.address, r.action])).toEqual(
      subscriptions.map((s) => [`aws_sns_topic_subscription.${s}`, 'sns:ListSubscriptionsByTopic']),
    );
  });
});
