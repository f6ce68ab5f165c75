/** Helpers for the rehearsal tests: configurations to rehearse, and ways to break them. */
import type { TfConfig } from '../../review/rehearsal';
import type { Settings } from '../../inputs/settings';
import { synthStack } from './stack';

export type MutableConfig = TfConfig & {
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

const synthesized = new Map<string, string>();

/**
 * The synthesized configuration of the stack for these settings (stand-in
 * function code): a fresh, mutable copy each time (tests break it in place),
 * synthesized once per settings in a test file.
 */
export function synthesizedConfig(settings: Settings): MutableConfig {
  const key = JSON.stringify(settings);
  let json = synthesized.get(key);
  if (json === undefined) {
    json = synthStack(settings).json;
    synthesized.set(key, json);
  }
  return JSON.parse(json) as MutableConfig;
}

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
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

/** `${type.logical.attr}`: how the configuration refers to the one `type` named `name`. */
function refTo(config: MutableConfig, type: string, name: string, attr: string): string {
  const found = Object.entries(config.resource[type] ?? {}).filter(([, r]) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}`);
  return `\${${type}.${found[0][0]}.${attr}}`;
}

/** The policy resource (`aws_sns_topic_policy`, `aws_sqs_queue_policy`) of the topic or queue named `name`. */
export function policyOf(
  config: MutableConfig,
  type: 'aws_sns_topic' | 'aws_sqs_queue',
  name: string,
): Record<string, unknown> {
  return type === 'aws_sns_topic'
    ? resource(config, 'aws_sns_topic_policy', { arn: refTo(config, type, name, 'arn') })
    : resource(config, 'aws_sqs_queue_policy', { queue_url: refTo(config, type, name, 'url') });
}

/** Rewrites the statements of a resource's `policy` argument. */
export function editPolicy(
  holder: Record<string, unknown>,
  edit: (statements: Statement[]) => Statement[],
): void {
  const doc = JSON.parse(holder.policy as string) as { Statement: Statement[] };
  const before = JSON.stringify(doc.Statement);
  doc.Statement = edit(doc.Statement);
  // A mistake that changes nothing would make its test prove nothing.
  if (JSON.stringify(doc.Statement) === before) throw new Error('the edit changed no statement');
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

/** Removes the statements naming a service as principal. */
export function withoutStatementsFor(service: string): (s: Statement[]) => Statement[] {
  return (statements) =>
    statements.filter((s) => !JSON.stringify(s.Principal ?? '').includes(service));
}

/** Removes the statement `sid` (which must exist). */
export function withoutStatement(sid: string): (s: Statement[]) => Statement[] {
  return (statements) => {
    if (!statements.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
    return statements.filter((s) => s.Sid !== sid);
  };
}

/** Rewrites the statement `sid` (which must exist). */
export function editStatement(
  sid: string,
  edit: (s: Statement) => Statement,
): (s: Statement[]) => Statement[] {
  return (statements) => {
    if (!statements.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
    return statements.map((s) => (s.Sid === sid ? edit(s) : s));
  };
}

/** The statement without the condition on `key` (under any operator); fails when it has none. */
export function withoutCondition(key: string): (s: Statement) => Statement {
  return (s) => {
    const condition: NonNullable<Statement['Condition']> = {};
    let found = false;
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      const kept = Object.fromEntries(Object.entries(block).filter(([k]) => k !== key));
      found ||= Object.keys(kept).length < Object.keys(block).length;
      if (Object.keys(kept).length > 0) condition[operator] = kept;
    }
    if (!found) throw new Error(`statement ${s.Sid} has no condition on ${key}`);
    const { Condition: _old, ...rest } = s;
    return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
  };
}
