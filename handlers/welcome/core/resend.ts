/**
 * When a resend (a raised `resend` counter: the user's resend tag) is due,
 * and what a login profile found at that moment means. Pure: tags, times and
 * the profile come in as values. The flow is handlers/welcome/resend.ts.
 *
 * Exactly once per value rests on three things:
 * - the resent tag: after a successful send the function writes the value it
 *   served; a value at or below it is never served again;
 * - IAM's CreateLoginProfile succeeding for one run only: of two deliveries
 *   racing, one creates the new profile and sends, the other is refused;
 * - a profile created after the request (or, without a request time, a young
 *   one) belongs to a run serving it: it is left alone until that run is done.
 */
import {
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import { IN_FLIGHT_WINDOW_MS } from './consistency';
import type { IamTag } from './policy';

const COUNTER = /^\d{1,9}$/;

/** A counter tag's value as a number; undefined when absent or not a plain non-negative integer. */
export function counterOf(tags: readonly IamTag[], key: string): number | undefined {
  const value = tags.find((tag) => tag.Key === key)?.Value;
  return value !== undefined && COUNTER.test(value) ? Number(value) : undefined;
}

/** The resend value the first welcome also covers (it sends after the request), if any. */
export function resendToCover(tags: readonly IamTag[]): number | undefined {
  const requested = counterOf(tags, RESEND_TAG_KEY);
  return requested !== undefined && requested > 0 ? requested : undefined;
}

export type ResendSkipReason = 'no-resend-requested' | 'resend-already-served' | 'not-welcomed-yet';

export type ResendRequestVerdict =
  | { kind: 'due'; requested: number; served: number }
  | { kind: 'skip'; reason: ResendSkipReason; detail: string };

/**
 * Whether the user's tags ask for a resend not yet served. `signedIn`: the
 * person has signed in with a password (welcomed by a version without the
 * welcomed tag counts as welcomed).
 */
export function judgeResendRequest(
  tags: readonly IamTag[],
  signedIn: boolean,
): ResendRequestVerdict {
  const requested = counterOf(tags, RESEND_TAG_KEY);
  if (requested === undefined || requested === 0) {
    return {
      kind: 'skip',
      reason: 'no-resend-requested',
      detail: `tag ${RESEND_TAG_KEY} is absent, 0 or not a whole number`,
    };
  }
  // Absent (or unreadable, which only a hand edit makes) counts as nothing served.
  const served = counterOf(tags, RESENT_TAG_KEY) ?? 0;
  if (requested <= served) {
    return {
      kind: 'skip',
      reason: 'resend-already-served',
      detail:
        `tag ${RESEND_TAG_KEY} is ${requested} and ${served} was served already; ` +
        `raise the roster's resend above ${served} for a new password`,
    };
  }
  if (!signedIn && !tags.some((tag) => tag.Key === WELCOMED_TAG_KEY)) {
    // The first welcome is still to come (or retrying): its email is the
    // newest one, and it records this value as served when it sends.
    return {
      kind: 'skip',
      reason: 'not-welcomed-yet',
      detail: 'the first welcome email has not gone out yet; it covers this resend',
    };
  }
  return { kind: 'due', requested, served };
}

export interface ResendProfileFacts {
  /** GetLoginProfile's CreateDate (epoch ms); undefined when the user has no profile. */
  profileCreatedMs?: number;
  /** true when the user has a profile (with or without a creation date). */
  hasProfile: boolean;
  /** When the resend was requested (the TagUser event's time); undefined for a queued request. */
  requestedAtMs?: number;
  /** GetUser's PasswordLastUsed, epoch ms. */
  passwordLastUsedMs?: number;
  nowMs: number;
}

/**
 * What to do with the login profile found when a resend is due:
 * - `create`: there is none (never had one, or expired): create and send;
 * - `replace`: one from before the request: delete it, create, send;
 * - `in-flight`: one created for this request moments ago: another delivery
 *   is serving it; look again later;
 * - `served`: one created for this request, and the person has signed in
 *   with it: the email reached them, only the resent tag is missing;
 * - `orphaned`: one created for this request long ago, never used, and still
 *   no resent tag: its run died (or could not tag); replace it.
 */
export type ResendProfileVerdict =
  | { kind: 'create' }
  | { kind: 'replace' }
  | { kind: 'in-flight'; ageMs: number }
  | { kind: 'served' }
  | { kind: 'orphaned'; ageMs: number };

export function judgeResendProfile(facts: ResendProfileFacts): ResendProfileVerdict {
  if (!facts.hasProfile) return { kind: 'create' };
  // No creation date (IAM always gives one): nothing proves it predates the
  // request, and waiting cannot cost anyone a password.
  if (facts.profileCreatedMs === undefined) return { kind: 'in-flight', ageMs: 0 };
  const ageMs = facts.nowMs - facts.profileCreatedMs;
  // CloudTrail's eventTime has whole seconds: a profile made in the second of
  // the request counts as made for it (waiting is the safe side).
  const since =
    facts.requestedAtMs === undefined ? undefined : Math.floor(facts.requestedAtMs / 1000) * 1000;
  const madeForRequest =
    ageMs < IN_FLIGHT_WINDOW_MS || (since !== undefined && facts.profileCreatedMs >= since);
  if (!madeForRequest) return { kind: 'replace' };
  if (
    facts.passwordLastUsedMs !== undefined &&
    facts.passwordLastUsedMs >= facts.profileCreatedMs
  ) {
    return { kind: 'served' };
  }
  return ageMs < IN_FLIGHT_WINDOW_MS ? { kind: 'in-flight', ageMs } : { kind: 'orphaned', ageMs };
}

/**
 * Who may have a resend served, and where (docs/design.md,
 * "Whoever may tag a user must not get their password"). `iam:TagUser` on a managed user lets a
 * principal rewrite its `email` tag and raise its counter in one call; the
 * only caller trusted to do that is the deploy role, which writes what a
 * reviewed roster says. Everyone else, and every request nobody can
 * attribute (the reconcile's, an operator's, a deploy role not configured),
 * may have a resend served only where it cannot hand anyone a console: to
 * the address the last email went to, for a person who has not signed in.
 */
export interface ResendAuthorityFacts {
  /** A TagUser event whose caller is the configured deploy role. */
  byDeployRole: boolean;
  /** Where the resend would go: the user's email tag now. */
  to: string;
  /** Where the last email went (the sent-to tag); undefined when none is recorded. */
  lastSentTo?: string;
  /** The profile the resend would replace has been signed in with (PasswordLastUsed at or after its CreateDate). */
  replacesPasswordInUse: boolean;
  /** The roster asks for it explicitly (its resendAfterSignIn: the resend-after-sign-in tag). */
  afterSignInAsked: boolean;
}

export type ResendHoldReason = 'resend-address-unattributed' | 'resend-signed-in';

export type ResendAuthority =
  /** `previousAddress`: the last email went elsewhere; that address is told. */
  | { kind: 'serve'; previousAddress?: string }
  | { kind: 'hold'; reason: ResendHoldReason; detail: string };

export function judgeResendAuthority(facts: ResendAuthorityFacts): ResendAuthority {
  if (!facts.byDeployRole) {
    if (facts.lastSentTo === undefined || facts.lastSentTo !== facts.to) {
      return {
        kind: 'hold',
        reason: 'resend-address-unattributed',
        detail:
          facts.lastSentTo === undefined
            ? 'no address is recorded for the last email, and the deploy role did not ask'
            : 'the address differs from the one the last email went to, and the deploy role did not ask',
      };
    }
    if (facts.replacesPasswordInUse) {
      return {
        kind: 'hold',
        reason: 'resend-signed-in',
        detail: 'the person has signed in with their password, and the deploy role did not ask',
      };
    }
    return { kind: 'serve' };
  }
  if (facts.replacesPasswordInUse && !facts.afterSignInAsked) {
    return {
      kind: 'hold',
      reason: 'resend-signed-in',
      detail:
        'the person has signed in with their password; the roster did not set resendAfterSignIn',
    };
  }
  return facts.lastSentTo !== undefined && facts.lastSentTo !== facts.to
    ? { kind: 'serve', previousAddress: facts.lastSentTo }
    : { kind: 'serve' };
}

/** The address the last email went to (the sent-to tag), if recorded. */
export function lastSentTo(tags: readonly IamTag[]): string | undefined {
  const value = tags.find((tag) => tag.Key === SENT_TO_TAG_KEY)?.Value;
  return value === undefined || value === '' ? undefined : value;
}

/** The roster's explicit ask to replace a password in use. */
export function asksAfterSignIn(tags: readonly IamTag[]): boolean {
  return tags.some((tag) => tag.Key === RESEND_AFTER_SIGN_IN_TAG_KEY && tag.Value === 'true');
}

/** Whether the caller CloudTrail named is the deploy role; never when none is configured. */
export function isDeployRole(
  caller: string | undefined,
  deployRoleArn: string | undefined,
): boolean {
  return caller !== undefined && deployRoleArn !== undefined && caller === deployRoleArn;
}
