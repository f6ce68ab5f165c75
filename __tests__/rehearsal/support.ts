/** Helpers for the rehearsal tests: configurations to rehearse, and ways to break them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TfConfig } from '../../lib/rehearsal';
import type { Settings } from '../../lib/settings';
import { synthStack } from '../pipeline/support';

/** The pipeline's new shape, hand-made: SNS -> KMS-encrypted SQS queue -> event source mapping. */
export const SQS_TRIGGER_FIXTURE = join(__dirname, 'fixtures', 'sqs-trigger.tf.json');

/** A fresh, mutable copy (tests break it in place). */
export function sqsTriggerConfig(): MutableConfig {
  return JSON.parse(readFileSync(SQS_TRIGGER_FIXTURE, 'utf8')) as MutableConfig;
}

/** The synthesized configuration of the stack for these settings (stand-in function code). */
export function synthesizedConfig(settings: Settings): MutableConfig {
  return JSON.parse(synthStack(settings).json) as MutableConfig;
}

export type MutableConfig = TfConfig & {
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

interface Statement {
  Sid?: string;
  Principal?: unknown;
  Action: string | string[];
  [key: string]: unknown;
}

/** The one resource of a type whose arguments include `match` (e.g. `{ name: 'x' }`). */
export function resource(
  config: MutableConfig,
  type: string,
  match: Record<string, unknown> = {},
): Record<string, unknown> {
  const found = Object.values(config.resource[type] ?? {}).filter((r) =>
    Object.entries(match).every(([k, v]) => r[k] === v),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} like ${JSON.stringify(match)}`);
  return found[0];
}

/** Rewrites the statements of a resource's `policy` argument. */
export function editPolicy(
  holder: Record<string, unknown>,
  edit: (statements: Statement[]) => Statement[],
): void {
  const doc = JSON.parse(holder.policy as string) as { Statement: Statement[] };
  doc.Statement = edit(doc.Statement);
  holder.policy = JSON.stringify(doc);
}

/** Removes `action` from every statement (and statements left without actions). */
export function withoutAction(action: string): (s: Statement[]) => Statement[] {
  return (statements) =>
    statements
      .map((s) => ({
        ...s,
        Action: ([] as string[]).concat(s.Action).filter((a) => a !== action),
      }))
      .filter((s) => s.Action.length > 0);
}

/** Removes a service from every statement's `Principal.Service` (and statements left without one). */
export function withoutService(service: string): (s: Statement[]) => Statement[] {
  return (statements) =>
    statements.flatMap((s) => {
      const p = s.Principal as { Service?: string | string[] } | undefined;
      if (!p?.Service) return [s];
      const left = ([] as string[]).concat(p.Service).filter((x) => x !== service);
      return left.length > 0 ? [{ ...s, Principal: { Service: left } }] : [];
    });
}

/** Removes the statements naming a service as principal. */
export function withoutStatementsFor(service: string): (s: Statement[]) => Statement[] {
  return (statements) =>
    statements.filter((s) => !JSON.stringify(s.Principal ?? '').includes(service));
}
