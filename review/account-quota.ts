/**
 * The account's IAM user quota, seen from the plan. IAM allows 5,000 users
 * per account (raisable) and counts every user, not only this stack's, so a
 * roster well inside its own check (inputs/roster.ts, the settings' `limits`)
 * can still fail CreateUser half-way through an apply. With credentials the
 * plan reads `iam:GetAccountSummary` (Users, UsersQuota) and adds what the
 * plan creates and deletes; offline there is no account to read, and the
 * report says the quota was not checked.
 */
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { managedChanges } from './plan-changes';
import type { TerraformPlan } from './terraform-plan';

/** "Near" the quota: this share of it or more after the plan. */
export const NEAR_QUOTA_SHARE = 0.9;

export type AccountQuota =
  | { readonly checked: true; readonly users: number; readonly quota: number }
  | { readonly checked: false; readonly why: string };

/** IAM users the plan adds net (created minus deleted; a replacement is both). */
export function netUsersOf(plan: TerraformPlan): number {
  let net = 0;
  for (const { rc, action } of managedChanges(plan)) {
    if (rc.type !== 'aws_iam_user') continue;
    if (action === 'add') net++;
    else if (action === 'remove') net--;
  }
  return net;
}

export interface QuotaVerdict {
  readonly level: 'caution' | 'warning';
  readonly text: string;
}

/**
 * What the report says of the quota: a caution when the plan would go over
 * it (CreateUser fails part-way), a warning at NEAR_QUOTA_SHARE or more, and
 * nothing below. Not checked: a note, never silence.
 */
export function quotaVerdict(
  quota: AccountQuota,
  net: number,
): QuotaVerdict | { readonly note: string } | undefined {
  if (!quota.checked)
    return { note: `The account's IAM user quota was not checked: ${quota.why}.` };
  const after = quota.users + net;
  const words = `${after.toLocaleString('en')} IAM users after this plan (${quota.users.toLocaleString('en')} in the account now, every user counted, not only this stack's; ${net >= 0 ? '+' : '−'}${Math.abs(net)} planned) of the account's quota of ${quota.quota.toLocaleString('en')}`;
  if (after > quota.quota)
    return {
      level: 'caution',
      text: `**Over the account's user quota**: ${words}. CreateUser would fail part-way through the apply; remove people or have the quota raised (Service Quotas, IAM "Users per account") first.`,
    };
  if (net > 0 && after >= quota.quota * NEAR_QUOTA_SHARE)
    return {
      level: 'warning',
      text: `**Near the account's user quota**: ${words}, ${Math.round((after / quota.quota) * 100)}% (warned from ${Math.round(NEAR_QUOTA_SHARE * 100)}%).`,
    };
  return undefined;
}

/** Reads the account summary; any failure becomes "not checked" with the reason. */
export async function readAccountQuota(
  client: IAMClient = new IAMClient({}),
): Promise<AccountQuota> {
  try {
    const { SummaryMap: map } = await client.send(new GetAccountSummaryCommand({}));
    const users = map?.Users;
    const quota = map?.UsersQuota;
    if (typeof users !== 'number' || typeof quota !== 'number')
      return { checked: false, why: 'iam:GetAccountSummary returned no Users or UsersQuota' };
    return { checked: true, users, quota };
  } catch (err) {
    const name = (err as { name?: string }).name ?? 'Error';
    return {
      checked: false,
      why: `iam:GetAccountSummary failed (${name}: ${(err as Error).message}); the plan role needs it (docs/roles/plan-policy.json)`,
    };
  } finally {
    client.destroy();
  }
}
