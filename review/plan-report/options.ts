/** What the caller tells the report besides the plan. */
import type { AccountQuota } from '../account-quota';
import type { SynthesizedConfig } from '../plan-summary';

/** One rendered preview, as scripts/preview.ts writes it. */
export interface PreviewFile {
  readonly userName: string;
  /** `resend`: the welcome sent again (`resend-<user>.html`). @default 'welcome' */
  readonly kind?: 'welcome' | 'resend';
  /** Paths as the reader should see them, e.g. `cdktf.out/previews/welcome-alice.html`. */
  readonly html: string;
  readonly text: string;
  /** The Slack DM's preview, when the person's channel includes one. */
  readonly slack?: { readonly html: string; readonly json: string };
}

export interface PlanReportOptions {
  /** The synthesized configuration: its construct paths group the pipeline by part. */
  readonly config?: SynthesizedConfig;
  /** The email previews written for this plan; the report lists them. */
  readonly previews?: {
    readonly files: readonly PreviewFile[];
    /** Where a reviewer can open them (e.g. the workflow artifact), when they are not local. */
    readonly url?: string;
  };
  /** The stack's name in the heading. @default 'iam-onboarding' */
  readonly stackName?: string;
  /** A line on how the plan was made (offline, against the account). */
  readonly mode?: string;
  /** At most this many rows per table; the rest are counted. @default 200 */
  readonly maxRows?: number;
  /**
   * Removing more than this share of the people managed now raises a
   * CAUTION of its own (inputs/removals.ts). @default 0.2
   */
  readonly removalWarningShare?: number;
  /** The account's IAM users and quota (review/account-quota.ts), or why they were not read. */
  readonly accountQuota?: AccountQuota;
}
