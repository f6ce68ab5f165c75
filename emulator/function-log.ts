/**
 * What the function's log says about each record it ran (CloudWatch Logs
 * would hold these lines): how it ended, and, for a resend not served, why,
 * in the words `npm run local` prints. Pure.
 */

/** The function's output of one invocation (emulator/function.ts Invocation). */
interface Logged {
  readonly invocation: { readonly logs: string };
}

/** How the function ended one record, as its log says ("event done", "skipped", "deferred", "failed"). */
export interface RecordEnd {
  readonly userName: string;
  readonly eventId?: string;
  readonly outcome: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly step?: string;
  readonly errorName?: string;
}

const RECORD_ENDS = ['event done', 'event skipped', 'event deferred', 'event failed'];

/** Each record's end, in order, read from the function's JSON log lines of the batches. */
export function recordEnds(batches: readonly Logged[]): RecordEnd[] {
  return batches.flatMap((b) =>
    b.invocation.logs.split('\n').flatMap((line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return [];
      }
      if (entry === null || typeof entry !== 'object') return [];
      if (!RECORD_ENDS.includes(String(entry.message)) || typeof entry.userName !== 'string')
        return [];
      const text = (k: string) => (typeof entry[k] === 'string' ? { [k]: entry[k] } : {});
      return [
        {
          userName: entry.userName,
          outcome: String(entry.outcome),
          ...text('eventId'),
          ...text('reason'),
          ...text('detail'),
          ...text('step'),
          ...text('errorName'),
        },
      ];
    }),
  );
}

/** The function's reasons for holding a resend (core/resend.ts ResendHoldReason). */
const HELD: readonly string[] = ['resend-address-unattributed', 'resend-signed-in'];

/** Why a raised resend sent no email, from the function's log; undefined when it was resent. */
export function unservedWhy(
  userName: string,
  ends: readonly RecordEnd[],
  unmatched: readonly string[],
): string | undefined {
  const mine = ends.filter((e) => e.userName === userName);
  if (mine.some((e) => e.outcome === 'resent')) return undefined;
  const last = mine.at(-1);
  if (last === undefined) {
    return unmatched.includes(userName)
      ? "the rule's pattern did not match its TagUser event"
      : 'the function logged no outcome for it';
  }
  switch (last.outcome) {
    case 'skipped':
      return `${HELD.includes(last.reason ?? '') ? 'held' : 'skipped'} (${last.reason ?? 'no reason'}): ${last.detail ?? ''}`;
    case 'deferred':
      return `still deferred at ${last.step ?? '?'} (${last.errorName ?? '?'}); it stays on the queue`;
    default:
      return `${last.outcome} at ${last.step ?? '?'} (${last.errorName ?? last.reason ?? '?'})`;
  }
}
