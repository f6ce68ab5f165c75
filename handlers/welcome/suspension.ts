/**
 * Turning a suspended person's sign-in and keys off: delete the login
 * profile, deactivate every active access key, then record it
 * (`iam-onboarding:suspended-at`), in that order, so that a run cut short
 * is finished by the next one (the record is written only once everything
 * is off). The Deny itself is the stack's (AWSDenyAll, attached at deploy);
 * this is what a Deny leaves in place: a password that signs in to a console
 * where nothing works, and keys a leak could still present.
 *
 * Who may trigger it: anyone able to tag the user (or the clock, for an end
 * date). Turning access off is the safe direction, so no caller check; the
 * decision is made from IAM's tags (core/lifecycle.ts), never the event.
 */
import { SUSPENDED_AT_TAG_KEY } from '../../shared/contract';
import { deactivateAccessKey, listAccessKeys } from './aws/access-keys';
import { deleteLoginProfile, tagUser } from './aws/iam';
import type { IAMClient } from '@aws-sdk/client-iam';

export interface SuspensionResult {
  /** `absent`: there was no console password to delete (never issued, expired, or deleted already). */
  readonly profile: 'deleted' | 'absent';
  /** Keys this run turned off. */
  readonly keysDeactivated: number;
  /** `gone`: the user was deleted meanwhile; nothing is recorded. */
  readonly user: 'suspended' | 'gone';
}

/** Applies a suspension to one managed user; `nowMs` becomes the record. */
export async function applySuspension(
  iam: IAMClient,
  userName: string,
  nowMs: number,
): Promise<SuspensionResult> {
  const profile = await deleteLoginProfile(iam, userName);
  const keys = await listAccessKeys(iam, userName);
  if (keys === undefined) return { profile, keysDeactivated: 0, user: 'gone' };
  let keysDeactivated = 0;
  for (const key of keys.filter((k) => k.active)) {
    if ((await deactivateAccessKey(iam, userName, key.id)) === 'deactivated') keysDeactivated++;
  }
  await tagUser(iam, userName, { key: SUSPENDED_AT_TAG_KEY, value: new Date(nowMs).toISOString() });
  return { profile, keysDeactivated, user: 'suspended' };
}

/** The admins' line for it, without any secret: who, why, what was turned off. */
export function suspensionSummary(
  userName: string,
  because: 'suspended' | 'access-ended',
  result: SuspensionResult,
  until?: string,
): string {
  const why =
    because === 'access-ended' ? `access ended on ${until ?? '?'}` : 'suspended in the roster';
  const what = [
    result.profile === 'deleted' ? 'console password deleted' : 'no console password to delete',
    `${result.keysDeactivated} access key${result.keysDeactivated === 1 ? '' : 's'} deactivated`,
  ].join(', ');
  return `${userName}: ${why}: ${what}; the user, groups and tags are kept`;
}
