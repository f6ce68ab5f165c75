/**
 * The first welcome, for a CreateUser event or a queued welcome: read the
 * user, decide, ask SES's suppression list about the address (flow.ts
 * holdIfSuppressed), then issue the password (flow.ts issuePassword). A profile
 * CreateLoginProfile finds without the welcomed tag is judged by its age and
 * by whether the person has signed in (core/consistency.ts): it may belong to
 * a run still sending, or be an orphan that a failed rollback (or a run that
 * died) left, which is replaced.
 */
import { getLoginProfile, getUser, listUserTags } from './aws/iam';
import { judgeExistingProfile, withinGrace } from './core/consistency';
import type { CreatedUser } from './core/request';
import {
  decide,
  hasManagedByTag,
  isManagedPath,
  WELCOMED_TAG_KEY,
  welcomedAt,
} from './core/policy';
import { lastSentTo, resendToCover } from './core/resend';
import { singleLine } from './core/text';
import { RESENT_TAG_KEY, SENT_TO_TAG_KEY } from '../../shared/contract';
import {
  deferred,
  holdIfSuppressed,
  type UserRun,
  issuePassword,
  type Recipient,
  recipientFor,
  removeProfile,
  step,
  untilVisible,
  writeTags,
} from './flow';
import type { RunContext } from './run-context';
import type { EventLog } from './log';

/** What became of one welcome, before it is logged. */
export type UserOutcome =
  | {
      outcome: 'welcomed';
      messageId?: string;
      replacesEarlier: boolean;
      /** A Slack DM went instead of the email, or beside it. */
      via?: 'slack' | 'email-and-slack';
    }
  | { outcome: 'skipped'; reason: string; detail: string };

const skip = (reason: string, detail: string): UserOutcome => ({
  outcome: 'skipped',
  reason,
  detail,
});

interface WelcomeRun extends UserRun {
  /**
   * The user's resend counter when the welcome started: the first email is
   * newer than that request, so sending it serves the request too.
   */
  resendToCover?: number;
}

export async function welcomeUser(
  run: RunContext,
  event: CreatedUser,
  log: EventLog,
): Promise<UserOutcome> {
  const { deps } = run;
  const { userName } = event;
  const r: WelcomeRun = {
    ...run,
    userName,
    eventId: event.eventId,
    log,
    inGrace: () => withinGrace(event.eventTimeMs, deps.now()),
  };
  if (!isManagedPath(event.path)) {
    return skip('not-managed-path', `created with path ${event.path}`);
  }

  const user = await step(r, 'get-user', () =>
    untilVisible(
      r,
      'get-user',
      () => getUser(deps.iam, userName),
      (found) => found !== undefined,
    ),
  );
  if (!user) return skip('user-deleted', 'GetUser: NoSuchEntity');
  log.info('step done', { step: 'get-user', outcome: 'found', path: user.path });

  const tags = await step(r, 'list-user-tags', () =>
    untilVisible(
      r,
      'list-user-tags',
      () => listUserTags(deps.iam, userName),
      (found) => found !== undefined && hasManagedByTag(found),
    ),
  );
  if (!tags) return skip('user-deleted', 'ListUserTags: NoSuchEntity');
  log.info('step done', { step: 'list-user-tags', outcome: 'found', tagCount: tags.length });
  const covers = resendToCover(tags);
  if (covers !== undefined) r.resendToCover = covers;

  const decision = decide(event.userId, { ...user, tags }, deps.now());
  if (decision.kind === 'skip') return skip(decision.reason, decision.detail);
  log.info('step done', { step: 'decide', outcome: 'managed' });

  // Checked before CreateLoginProfile, not only when it finds a profile: if
  // someone removed a welcomed person's console access on purpose, a replayed
  // event must not give it back.
  const welcomed = welcomedAt(tags);
  if (welcomed !== undefined) {
    return skip('already-welcomed', `tag ${WELCOMED_TAG_KEY} is ${singleLine(welcomed, 40)}`);
  }

  // Asked before any password exists; once it is lifted the reconcile finds
  // the person never welcomed (core/reconcile.ts) and queues this again.
  const held = await holdIfSuppressed(r, {
    address: decision.email,
    onceLifted: 'reconcile',
    ...(event.requested === undefined ? {} : { requested: event.requested }),
  });
  if (held) return skip(held.reason, held.detail);

  const recipient = await recipientFor(r, decision);
  // The profile could be created, so no earlier one is left; an earlier email
  // went out only if a run recorded where it (may have) sent one, never
  // because this is a later receive (issue 21).
  const first = await issueWelcome(r, recipient, lastSentTo(tags) !== undefined);
  if (first !== 'already-exists') return first;
  return handleExistingProfile(r, recipient);
}

async function issueWelcome(
  r: WelcomeRun,
  recipient: Recipient,
  replacesEarlier: boolean,
): Promise<UserOutcome | 'already-exists'> {
  const issued = await issuePassword(r, {
    recipient,
    replacesEarlier,
    recordMaybeSent: true,
    record: () => {
      const at = new Date(r.deps.now()).toISOString();
      return {
        what: 'welcomed',
        // With the resend value this email also serves, in the same call: the
        // reconcile must never see "welcomed" without it and mail a second password.
        tags: [
          { key: WELCOMED_TAG_KEY, value: at },
          ...(r.resendToCover === undefined
            ? []
            : [{ key: RESENT_TAG_KEY, value: String(r.resendToCover) }]),
          { key: SENT_TO_TAG_KEY, value: recipient.to },
        ],
        logged: {
          welcomedAt: at,
          ...(r.resendToCover === undefined ? {} : { resent: r.resendToCover }),
        },
      };
    },
  });
  if (issued === 'already-exists') return issued;
  if (issued === 'no-such-user') return skip('user-deleted', 'CreateLoginProfile: NoSuchEntity');
  return { outcome: 'welcomed', replacesEarlier, ...issued };
}

/**
 * CreateLoginProfile found a profile. Read again, fresh (the tags read before
 * may predate a concurrent run's tag), and judge it.
 */
async function handleExistingProfile(r: WelcomeRun, recipient: Recipient): Promise<UserOutcome> {
  const { deps, userName, log } = r;
  const tags = await step(r, 'list-user-tags', () => listUserTags(deps.iam, userName));
  const user = await step(r, 'get-user', () => getUser(deps.iam, userName));
  const profile = await step(r, 'get-login-profile', () => getLoginProfile(deps.iam, userName));
  if (!tags || !user || !profile) {
    // CreateLoginProfile just said both exist: this is a lagging replica or a
    // concurrent delete; either way the next delivery sees it settled.
    throw deferred(
      r,
      'check-existing-profile',
      'NotVisibleYet',
      'CreateLoginProfile found a login profile that IAM does not show; the next delivery tries again',
    );
  }
  const welcomed = welcomedAt(tags);
  const verdict = judgeExistingProfile({
    ...(welcomed === undefined ? {} : { welcomedAt: welcomed }),
    ...(user.passwordLastUsed ? { passwordLastUsed: user.passwordLastUsed } : {}),
    ...(profile.createDate ? { profileCreatedMs: profile.createDate.getTime() } : {}),
    nowMs: deps.now(),
  });
  log.info('step done', { step: 'check-existing-profile', outcome: verdict.kind });

  switch (verdict.kind) {
    case 'welcomed':
      return skip(
        'already-welcomed',
        `tag ${WELCOMED_TAG_KEY} is ${singleLine(welcomed ?? '', 40)}`,
      );
    case 'signed-in': {
      // Welcomed before the tag existed (or the tagging failed): record it,
      // with the profile's creation time as the best known time of the email.
      const at = (profile.createDate ?? new Date(deps.now())).toISOString();
      await writeTags(r, 'welcomed', [{ key: WELCOMED_TAG_KEY, value: at }], { welcomedAt: at });
      return skip('already-welcomed', 'the user has a login profile and has signed in with it');
    }
    case 'in-flight':
      throw deferred(
        r,
        'check-existing-profile',
        'ProfileInFlight',
        `a login profile ${Math.round(verdict.ageMs / 1000)} s old and no ${WELCOMED_TAG_KEY} tag: ` +
          'another delivery may still be sending; the next delivery looks again',
      );
    case 'orphaned': {
      log.warn('orphaned login profile, replacing it', {
        step: 'check-existing-profile',
        outcome: 'orphaned',
        profileAgeSeconds: Math.round(verdict.ageMs / 1000),
      });
      await step(r, 'delete-login-profile', () =>
        removeProfile(r, { replacing: 'orphaned-profile' }),
      );
      const again = await issueWelcome(r, recipient, true);
      if (again !== 'already-exists') return again;
      // Someone else created one in between: theirs to send.
      throw deferred(
        r,
        'create-login-profile',
        'EntityAlreadyExists',
        'another delivery created a login profile while this one replaced an orphaned one; ' +
          'the next delivery looks again',
      );
    }
  }
}
