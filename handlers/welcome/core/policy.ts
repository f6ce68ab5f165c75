/**
 * Whether the function may act on a user. The answer comes from IAM's current
 * view of the user (path, ID, tags), not from the event: anyone able to call
 * CreateUser produces such an event, but only this project's stack writes the
 * managed path and tags.
 */
import {
  ACCESS_UNTIL_TAG_KEY,
  DELIVERY_CHANNEL_TAG_KEY,
  DELIVERY_CHANNELS,
  type DeliveryChannel,
  DISPLAY_NAME_TAG_KEY,
  EMAIL_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  RENAMED_FROM_TAG_KEY,
  SUSPENDED_TAG_KEY,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import {
  checkEmailAddress,
  checkManagedByTag,
  checkManagedPath,
  reasonOf,
} from '../../../shared/rules';
import { accessUntilOf, dayOf } from './lifecycle';
import { DISPLAY_NAME_MAX } from './message';
import { singleLine } from './text';

// The welcomed tag (and the prefix the provider ignores) are shared with the stack.
export { FUNCTION_TAG_PREFIX, WELCOMED_TAG_KEY } from '../../../shared/contract';

export interface IamTag {
  Key?: string;
  Value?: string;
}

export interface IamUserFacts {
  path: string;
  userId: string;
  tags: readonly IamTag[];
}

export type PolicySkipReason =
  | 'not-managed-path'
  | 'user-replaced'
  | 'not-managed-by-this-project'
  | 'missing-or-invalid-email-tag'
  | 'suspended';

export type Decision =
  | {
      kind: 'welcome';
      email: string;
      displayName?: string;
      renamedFrom?: string;
      /** The person's own channel (the tag); absent: the settings' default. */
      channel?: DeliveryChannel;
    }
  | { kind: 'skip'; reason: PolicySkipReason; detail: string };

function tagValue(tags: readonly IamTag[], key: string): string | undefined {
  return tags.find((tag) => tag.Key === key)?.Value;
}

/** When the user was welcomed (the tag's value), or undefined when the tag is absent. */
export function welcomedAt(tags: readonly IamTag[]): string | undefined {
  return tags.some((tag) => tag.Key === WELCOMED_TAG_KEY)
    ? (tagValue(tags, WELCOMED_TAG_KEY) ?? '')
    : undefined;
}

/**
 * Whether the managed-by tag is there at all. Right after CreateUser it may
 * not be visible yet (docs/design.md, "IAM is eventually consistent"); a tag with another value
 * is an answer.
 */
export function hasManagedByTag(tags: readonly IamTag[]): boolean {
  return tags.some((tag) => tag.Key === MANAGED_BY_TAG_KEY);
}

/** Whether the stack marked the user suspended (roster `suspended`, or an end date passed). */
export function isSuspendedTags(tags: readonly IamTag[]): boolean {
  return tagValue(tags, SUSPENDED_TAG_KEY) === 'true';
}

/**
 * A cheap first look at the event's path. It can only skip, never admit: the
 * function's IAM permissions are scoped to the managed path, so asking IAM
 * about other users would just be denied.
 */
export function isManagedPath(path: string): boolean {
  return checkManagedPath(path).ok;
}

/**
 * `expectedUserId` is the ID the event (or request) names; undefined for a
 * welcome queued without one, which then applies to the user of that name.
 * `nowMs`, when given, also refuses a person whose `access-until` day has
 * passed before the stack has tagged them suspended (the next synthesis
 * does; until then the daily run turns their access off).
 */
export function decide(
  expectedUserId: string | undefined,
  user: IamUserFacts,
  nowMs?: number,
): Decision {
  const path = checkManagedPath(user.path);
  if (!path.ok) {
    return { kind: 'skip', reason: 'not-managed-path', detail: `${path.reason}: ${user.path}` };
  }
  // Same name, new ID: the user was deleted and created again after this event;
  // the newer CreateUser event is the one that welcomes the newer user.
  if (expectedUserId !== undefined && user.userId !== expectedUserId) {
    return {
      kind: 'skip',
      reason: 'user-replaced',
      detail: 'the user in IAM has a different user ID than the event',
    };
  }
  const managedBy = checkManagedByTag(tagValue(user.tags, MANAGED_BY_TAG_KEY));
  if (!managedBy.ok) {
    return { kind: 'skip', reason: 'not-managed-by-this-project', detail: managedBy.reason };
  }
  // The same rule the roster was validated with, on the tag exactly as the
  // stack wrote it: an address the roster accepts is never skipped here.
  const email = tagValue(user.tags, EMAIL_TAG_KEY);
  const problem = email === undefined ? 'there is no such tag' : reasonOf(checkEmailAddress(email));
  if (email === undefined || problem !== undefined) {
    // The reason never holds the address itself, which is personal data.
    return {
      kind: 'skip',
      reason: 'missing-or-invalid-email-tag',
      detail: `tag ${EMAIL_TAG_KEY}: ${problem}`,
    };
  }
  // A person suspended from the start (or whose access has ended) gets no
  // password; reinstating them (the tag removed) issues the first one.
  if (isSuspendedTags(user.tags)) {
    return {
      kind: 'skip',
      reason: 'suspended',
      detail: `tag ${SUSPENDED_TAG_KEY}: the person is suspended; a password is issued when the roster reinstates them`,
    };
  }
  const until = accessUntilOf(user.tags);
  if (nowMs !== undefined && until !== undefined && until < dayOf(nowMs)) {
    return {
      kind: 'skip',
      reason: 'suspended',
      detail: `tag ${ACCESS_UNTIL_TAG_KEY}: access ended on ${until}; no password is issued after the last day`,
    };
  }
  const rawName = tagValue(user.tags, DISPLAY_NAME_TAG_KEY);
  const displayName = rawName === undefined ? '' : singleLine(rawName, DISPLAY_NAME_MAX);
  const renamedFrom = singleLine(tagValue(user.tags, RENAMED_FROM_TAG_KEY) ?? '', 64);
  const channel = channelOf(user.tags);
  return {
    kind: 'welcome',
    email,
    ...(displayName === '' ? {} : { displayName }),
    ...(renamedFrom === '' ? {} : { renamedFrom }),
    ...(channel === undefined ? {} : { channel }),
  };
}

/**
 * The person's channel tag. A value the roster cannot write (the stack writes
 * only valid ones, and the tagging guard keeps others off) is read as
 * `email`: the address is the roster's, so it is the channel no one else steers.
 */
export function channelOf(tags: readonly IamTag[]): DeliveryChannel | undefined {
  const value = tagValue(tags, DELIVERY_CHANNEL_TAG_KEY);
  if (value === undefined) return undefined;
  return (DELIVERY_CHANNELS as readonly string[]).includes(value)
    ? (value as DeliveryChannel)
    : 'email';
}
