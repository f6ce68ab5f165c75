/**
 * What the flow needs to know about a deployment, read from the Terraform
 * state the apply left (which the plan after it refreshed from the
 * emulator): the function and its zip, the rule that matches CreateUser and
 * TagUser and the topic it targets, the schedules and their inputs, the
 * queue the mapping reads.
 */
import { join } from 'node:path';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { stateResources } from './deploy';
import {
  DeployedFunction,
  eventSourceMappings,
  motoAuthorization,
  type EventSourceMapping,
} from './function';
import type { Clients } from './flow';

export interface Deployment {
  readonly fn: DeployedFunction;
  readonly mapping: EventSourceMapping;
  readonly queueUrl: string;
  /** The CreateUser/TagUser rule's pattern, as moto holds it. */
  readonly pattern: string;
  /** The topic that rule targets. */
  readonly topicArn: string;
  /** The admins' topic (the function's ADMIN_TOPIC_ARN). */
  readonly adminTopicArn: string;
  /** Each schedule rule's name and its target's constant input. */
  readonly schedules: readonly { readonly rule: string; readonly input: string }[];
}

async function describeRule(endpoint: string, name: string): Promise<{ EventPattern?: string }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSEvents.DescribeRule',
      ...motoAuthorization('events'),
    },
    body: JSON.stringify({ Name: name }),
  });
  if (!res.ok) throw new Error(`DescribeRule ${name}: HTTP ${res.status}`);
  return (await res.json()) as { EventPattern?: string };
}

export async function loadDeployment(
  endpoint: string,
  workDir: string,
  c: Clients,
): Promise<Deployment> {
  const functions = Object.values(stateResources(workDir, 'aws_lambda_function'));
  if (functions.length !== 1)
    throw new Error(`expected one function in the state, found ${functions.length}`);
  const f = functions[0];
  const fn = await DeployedFunction.load(
    endpoint,
    String(f.function_name),
    join(workDir, String(f.filename)),
  );
  // The one Terraform manages: a replayed recording (scripts/local.ts) may leave an older one behind.
  const managed = Object.values(stateResources(workDir, 'aws_lambda_event_source_mapping')).map(
    (m) => m.uuid ?? m.id,
  );
  const mappings = (await eventSourceMappings(endpoint, fn.config.FunctionArn)).filter((m) =>
    managed.includes(m.UUID),
  );
  if (mappings.length !== 1)
    throw new Error(`expected one event source mapping, found ${mappings.length}`);
  const mapping = mappings[0];
  const queueName = mapping.EventSourceArn.split(':')[5];
  const { QueueUrl } = await c.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));

  const rules = Object.values(stateResources(workDir, 'aws_cloudwatch_event_rule'));
  const targets = Object.values(stateResources(workDir, 'aws_cloudwatch_event_target'));
  const patterned = rules.filter((r) => r.event_pattern);
  if (patterned.length !== 1)
    throw new Error(`expected one rule with a pattern, found ${patterned.length}`);
  const ruleName = String(patterned[0].name);
  const topicTarget = targets.find((t) => t.rule === ruleName);
  if (!topicTarget) throw new Error(`rule ${ruleName} has no target`);
  const { EventPattern } = await describeRule(endpoint, ruleName);
  if (!EventPattern) throw new Error(`moto holds no pattern for rule ${ruleName}`);
  const schedules = rules
    .filter((r) => r.schedule_expression)
    .map((r) => {
      const t = targets.find((x) => x.rule === r.name);
      return { rule: String(r.name), input: typeof t?.input === 'string' ? t.input : '' };
    });
  return {
    fn,
    mapping,
    queueUrl: QueueUrl!,
    pattern: EventPattern,
    topicArn: String(topicTarget.arn),
    adminTopicArn: fn.config.Environment?.Variables?.ADMIN_TOPIC_ARN ?? '',
    schedules,
  };
}
