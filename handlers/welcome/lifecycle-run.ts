/**
 * One managed person's suspend, reinstate and end-date work, as the daily
 * run and the suspended tag's TagUser/UntagUser events do it: the decision
 * from IAM's tags (core/lifecycle.ts), then the calls, then the admins' notice.
 *
 * Reinstating issues a fresh temporary password through the issuing path the
 * caller passes in (the resend path: a new login profile, the email saying it
 * replaces the earlier one), and only once it went out is the reinstatement
 * recorded, so a failure is retried by the next delivery or reconcile run.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { END_WARNED_TAG_KEY, REINSTATED_AT_TAG_KEY } from '../../shared/contract';
import { tagUser } from './aws/iam';
import type { NotifyAdmins } from './core/admin-notice';
import { decideLifecycle } from './core/lifecycle';
import type { IamTag } from './core/policy';
import { applySuspension, suspensionSummary } from './suspension';

export type LifecycleOutcome =
  'suspended' | 'reinstated' | 'warned' | 'none' | 'gone' | 'not-reinstated';

export interface LifecycleDeps {
  readonly iam: IAMClient;
  readonly notify: NotifyAdmins;
  readonly nowMs: number;
  /**
   * Issues the person a fresh temporary password and emails it; `sent` once
   * the email went out (or the person has a console password already, which
   * `detail` then says), anything else when it did not (and why).
   */
  readonly reinstate: (
    userName: string,
  ) => Promise<{ readonly sent: boolean; readonly detail?: string }>;
}

export async function runLifecycle(
  deps: LifecycleDeps,
  userName: string,
  tags: readonly IamTag[],
  options: { readonly warnings?: boolean } = {},
): Promise<{ readonly outcome: LifecycleOutcome; readonly detail: string }> {
  const decision = decideLifecycle(tags, deps.nowMs, options);
  switch (decision.kind) {
    case 'suspend': {
      const result = await applySuspension(deps.iam, userName, deps.nowMs);
      if (result.user === 'gone') return { outcome: 'gone', detail: 'the user no longer exists' };
      const detail = suspensionSummary(userName, decision.because, result, decision.until);
      await deps.notify({ kind: 'suspended', userName, detail });
      return { outcome: 'suspended', detail };
    }
    case 'reinstate': {
      const issued = await deps.reinstate(userName);
      if (!issued.sent)
        return { outcome: 'not-reinstated', detail: issued.detail ?? 'no password was issued' };
      await tagUser(deps.iam, userName, {
        key: REINSTATED_AT_TAG_KEY,
        value: new Date(deps.nowMs).toISOString(),
      });
      // The issuing path says so when it found a password there already.
      const detail = issued.detail ?? 'a fresh temporary password went out';
      await deps.notify({ kind: 'reinstated', userName, detail });
      return { outcome: 'reinstated', detail };
    }
    case 'warn-end': {
      const days = decision.daysLeft === 1 ? '1 day' : `${decision.daysLeft} days`;
      const detail = `last day ${decision.until} (UTC), ${decision.daysLeft === 0 ? 'today' : `in ${days}`}`;
      await deps.notify({ kind: 'access-ending', userName, detail });
      // After the notice: a lost notice is sent again by the next run rather than never.
      await tagUser(deps.iam, userName, { key: END_WARNED_TAG_KEY, value: decision.until });
      return { outcome: 'warned', detail };
    }
    case 'none':
      return { outcome: 'none', detail: decision.detail };
  }
}
