/**
 * moto's gaps that the harness works around, each with the evidence and what
 * the harness does instead. The product follows AWS; nothing here changes
 * it. Each gap has a canary in __tests__/emulator/gaps.emu.test.ts that fails
 * once moto closes it, so that the workaround is then removed. The README's
 * emulator table lists the same rows.
 */
import type { Resources } from './deploy';

/** Environment for moto itself. */
export const MOTO_ENV = {
  // AWS-managed policies (ReadOnlyAccess, IAMUserChangePassword...) exist only with this.
  MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
} as const;

/**
 * Attribute overrides for resources of the stack, by type: written into the
 * scratch copy's override file only.
 */
const RESOURCE_OVERRIDES: Record<string, Record<string, unknown>> = {
  // moto's StartLogging looks the trail up by name, the provider passes its ARN: HTTP 500, retried for minutes.
  aws_cloudtrail: { enable_logging: false },
  // moto without Docker receives and returns the queue's messages on every arrival; the harness's poller plays the mapping.
  aws_lambda_event_source_mapping: { enabled: false },
};

export function resourceOverrides(resources: Resources): Resources {
  const out: Resources = {};
  for (const [type, attributes] of Object.entries(RESOURCE_OVERRIDES)) {
    for (const name of Object.keys(resources[type] ?? {})) {
      (out[type] ??= {})[name] = attributes;
    }
  }
  return out;
}

/**
 * Attributes moto reads back differently from what it was given, where AWS
 * reads back what it was given: a plan shows them as an update on every run
 * against moto, never on an account. Each explains one attribute's diff and
 * nothing else.
 */
const READ_BACK_GAPS: Record<
  string,
  Record<string, (before: unknown, after: unknown) => boolean>
> = {
  // moto returns the RedrivePolicy as Python's json.dumps writes it ("{"a": 1, ...}"); AWS as given.
  aws_sqs_queue: {
    redrive_policy: (before, after) =>
      typeof before === 'string' &&
      typeof after === 'string' &&
      before !== after &&
      JSON.stringify(JSON.parse(before)) === JSON.stringify(JSON.parse(after)),
  },
  // moto's Lambda keeps no LoggingConfig: it reads back none.
  aws_lambda_function: {
    logging_config: (before, after) =>
      Array.isArray(before) && before.length === 0 && Array.isArray(after) && after.length > 0,
  },
};

interface Change {
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
  };
}

/** The attributes an update changes. */
export function changedAttributes(c: Change): string[] {
  const before = c.change.before ?? {};
  const after = c.change.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
}

/** Whether a planned change is only moto reading back differently (READ_BACK_GAPS): an update whose every changed attribute a gap explains. */
export function isEmulatorReadBack(c: Change): boolean {
  const gaps = READ_BACK_GAPS[c.type];
  if (!gaps || c.change.actions.join() !== 'update') return false;
  const changed = changedAttributes(c);
  return (
    changed.length > 0 &&
    changed.every((k) => gaps[k]?.(c.change.before?.[k], c.change.after?.[k]) === true)
  );
}
