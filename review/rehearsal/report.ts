/** Prints the rehearsal: one line per hop, then a summary. */
import { isFailure, type Status, type Verdict } from './evaluate';

const WIDTH = Math.max(
  ...(['allowed', 'refused', 'DENIED', 'OPEN', 'skipped'] as Status[]).map((s) => s.length),
);

/** `allowed  events -> topic x: sns:Publish  [AllowPublishFromSource0 (topic policy of x)]`. */
export function formatVerdict(v: Verdict): string {
  const note = v.hop.note ? `; ${v.hop.note}` : '';
  return `${v.status.padEnd(WIDTH)}  ${v.hop.name}  [${v.reason}${note}]`;
}

export interface Summary {
  readonly counts: Readonly<Record<Status, number>>;
  readonly failures: number;
}

export function summarize(verdicts: readonly Verdict[]): Summary {
  const counts: Record<Status, number> = { allowed: 0, refused: 0, DENIED: 0, OPEN: 0, skipped: 0 };
  for (const v of verdicts) counts[v.status]++;
  return { counts, failures: verdicts.filter(isFailure).length };
}

export function formatSummary(verdicts: readonly Verdict[]): string {
  const { counts, failures } = summarize(verdicts);
  const parts = [
    `${counts.allowed} allowed`,
    `${counts.refused} refused as they must be`,
    `${counts.DENIED} DENIED`,
    `${counts.OPEN} OPEN (allowed but must be refused)`,
    `${counts.skipped} not checkable offline`,
  ];
  const verdict =
    failures === 0 ? 'the flow is authorized end to end' : `${failures} hop(s) would fail`;
  return `${verdicts.length} hops: ${parts.join(', ')}: ${verdict}`;
}

export function formatReport(verdicts: readonly Verdict[]): string {
  return [...verdicts.map(formatVerdict), '', formatSummary(verdicts)].join('\n');
}
