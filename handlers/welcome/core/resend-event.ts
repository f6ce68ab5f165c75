/**
 * From a TagUser event (a deploy changed a user's tags) to "check this
 * user's resend counter". core/request.ts reads the record, and builds a
 * queued resend request's check itself; nothing here throws.
 *
 * The event only says which user to look at, and who asked. Whether a
 * resend is due, and which value, comes from IAM's tags (core/resend.ts);
 * the caller decides what it may do (anyone with iam:TagUser can raise the
 * counter: core/resend.ts judgeResendAuthority).
 */
import * as z from 'zod/mini';
import { RESEND_TAG_KEY, type WelcomeRequestReason } from '../../../shared/contract';

export interface ResendEvent {
  /** EventBridge event id (or `<reason>-resend-request` for a queued request). */
  eventId: string;
  userName: string;
  /** Only on a queued request: a user re-created since is left alone. */
  userId?: string;
  /** When TagUser ran (epoch ms); undefined on a queued request or when no time parses. */
  eventTimeMs?: number;
  /** Set when the reconcile run (or an operator) queued it. */
  requested?: WelcomeRequestReason;
  /**
   * Who called TagUser, from CloudTrail's `userIdentity`: for an assumed role
   * the role's ARN (`sessionContext.sessionIssuer.arn`), else the caller's
   * own ARN. Undefined on a queued request, or when the record names nobody.
   */
  caller?: string;
}

export type ResendClassification =
  | { kind: 'resend'; event: ResendEvent }
  | { kind: 'skip'; reason: 'not-a-resend-tag-change'; detail: string };

/** The parts of a successful TagUser record a resend check reads (core/request.ts checked them). */
export interface TagUserCall {
  readonly requestParameters: { readonly userName: string; readonly tags?: readonly unknown[] };
  readonly userIdentity?: unknown;
}

const UserIdentitySchema = z.object({
  type: z.optional(z.string()),
  arn: z.optional(z.string()),
  sessionContext: z.optional(
    z.object({ sessionIssuer: z.optional(z.object({ arn: z.optional(z.string()) })) }),
  ),
});

/**
 * The caller CloudTrail names. An assumed role's own ARN (`sts::…:assumed-role/
 * NAME/SESSION`) has no path and a session name anyone assuming it picks, so
 * the issuer's IAM role ARN is what is compared with the deploy role.
 */
function callerOf(identity: unknown): string | undefined {
  const parsed = UserIdentitySchema.safeParse(identity);
  if (!parsed.success) return undefined;
  const { type, arn, sessionContext } = parsed.data;
  if (type === 'AssumedRole') return sessionContext?.sessionIssuer?.arn;
  return arn;
}

/** A tag entry as CloudTrail records it: `key` (public samples), or `Key` (the API's spelling). */
const TagEntrySchema = z.union([z.object({ key: z.string() }), z.object({ Key: z.string() })]);

export function keyOf(entry: unknown): string | undefined {
  const parsed = TagEntrySchema.safeParse(entry);
  if (!parsed.success) return undefined;
  return 'key' in parsed.data ? parsed.data.key : parsed.data.Key;
}

/**
 * A TagUser call (its ids, and its time when one parses). A tag list that
 * plainly lacks the resend key is skipped without asking IAM, so that the
 * caller of an unrelated TagUser is never taken for the one who raised the
 * counter; a list in a shape not recognised is not trusted either way.
 */
export function classifyTagUser(
  ids: { eventId: string; eventTimeMs?: number },
  call: TagUserCall,
): ResendClassification {
  const keys = (call.requestParameters.tags ?? []).map(keyOf);
  if (keys.length > 0 && keys.every((k) => k !== undefined && k !== RESEND_TAG_KEY)) {
    const detail = `TagUser did not set ${RESEND_TAG_KEY}`;
    return { kind: 'skip', reason: 'not-a-resend-tag-change', detail };
  }
  const caller = callerOf(call.userIdentity);
  return {
    kind: 'resend',
    event: {
      ...ids,
      userName: call.requestParameters.userName,
      ...(caller === undefined ? {} : { caller }),
    },
  };
}
