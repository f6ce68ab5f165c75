/**
 * The plan's view of the account's IAM user quota: over it is a caution,
 * from 90% a warning, below nothing, and not checked is said, never silent.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { createServer } from 'node:net';
import {
  NEAR_QUOTA_SHARE,
  netUsersOf,
  quotaVerdict,
  readAccountQuota,
} from '../../review/account-quota';
import { renderPlanReport } from '../../review/plan-report';
import type { TerraformPlan } from '../../review/terraform-plan';

const user = (name: string, actions: string[]) => ({
  address: `aws_iam_user.${name}`,
  mode: 'managed',
  type: 'aws_iam_user',
  name,
  change: {
    actions,
    before: actions.includes('create') && !actions.includes('delete') ? null : { name },
    after: actions.includes('delete') && !actions.includes('create') ? null : { name },
  },
});

const plan = (...rcs: ReturnType<typeof user>[]) =>
  ({ resource_changes: rcs }) as unknown as TerraformPlan;

describe('netUsersOf', () => {
  it('counts created minus deleted users; a replacement is neither', () => {
    expect(
      netUsersOf(
        plan(
          user('a', ['create']),
          user('b', ['create']),
          user('c', ['delete']),
          user('d', ['delete', 'create']),
          user('e', ['update']),
        ),
      ),
    ).toBe(1);
  });
});

describe('quotaVerdict', () => {
  it('is silent below 90%, warns from it, cautions over the quota', () => {
    expect(NEAR_QUOTA_SHARE).toBe(0.9);
    expect(quotaVerdict({ checked: true, users: 4000, quota: 5000 }, 499)).toBeUndefined();
    expect(quotaVerdict({ checked: true, users: 4000, quota: 5000 }, 500)).toEqual({
      level: 'warning',
      text: "**Near the account's user quota**: 4,500 IAM users after this plan (4,000 in the account now, every user counted, not only this stack's; +500 planned) of the account's quota of 5,000, 90% (warned from 90%).",
    });
    expect(quotaVerdict({ checked: true, users: 4990, quota: 5000 }, 11)).toMatchObject({
      level: 'caution',
      text: expect.stringMatching(
        /^\*\*Over the account's user quota\*\*: 5,001 IAM users after this plan .* CreateUser would fail part-way/,
      ),
    });
  });

  it('does not warn a plan that adds nobody, however full the account', () => {
    expect(quotaVerdict({ checked: true, users: 4900, quota: 5000 }, 0)).toBeUndefined();
    expect(quotaVerdict({ checked: true, users: 4900, quota: 5000 }, -2)).toBeUndefined();
  });

  it('says when it was not checked', () => {
    expect(quotaVerdict({ checked: false, why: 'offline' }, 3)).toEqual({
      note: "The account's IAM user quota was not checked: offline.",
    });
  });
});

describe('in the report', () => {
  const p = plan(user('a', ['create']));
  it('a near quota is a warning; not checked is a line under the mode', () => {
    const near = renderPlanReport(p, { accountQuota: { checked: true, users: 4499, quota: 5000 } });
    expect(near).toContain("\n> - **Near the account's user quota**: 4,500 IAM users");
    const off = renderPlanReport(p, {
      mode: 'Offline plan.',
      accountQuota: { checked: false, why: 'the plan is offline, with no account to read' },
    });
    expect(off).toContain(
      "_Offline plan._\n\n_The account's IAM user quota was not checked: the plan is offline, with no account to read._\n",
    );
  });
});

describe('readAccountQuota', () => {
  it('turns a failed call into "not checked", with the reason and the role to fix', async () => {
    // A loopback port that refuses connections: no AWS is reached.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const q = await readAccountQuota(
      new IAMClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      }),
    );
    expect(q).toEqual({
      checked: false,
      why: expect.stringMatching(
        /^iam:GetAccountSummary failed \(.+\); the plan role needs it \(docs\/roles\/plan-policy\.json\)$/,
      ),
    });
  });
});
