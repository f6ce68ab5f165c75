/** Each guardrail aspect fails synthesis, naming the offending construct's path. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SesDomainDkim } from '@cdktf/provider-aws/lib/ses-domain-dkim';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { App, Fn, TerraformStack, Testing } from 'cdktf';
import { applyGuardrails, wildcardActionProblems } from '../../stacks/aspects';
import { synthStack, trailNoZone, zoneNoTrail } from '../support/stack';

function guardedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'guarded');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  applyGuardrails(stack);
  return stack;
}

const synth = (stack: TerraformStack) => () => Testing.synth(stack, true);

const policy = (action: unknown, effect = 'Allow') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'S', Effect: effect, Action: action, Resource: '*' }],
  });

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

describe('the real stack passes every guardrail', () => {
  test.each([
    ['trail, no zone', trailNoZone],
    ['zone, no trail', zoneNoTrail],
  ])('%s', (_name, settings) => {
    expect(() => synthStack(settings())).not.toThrow();
  });
});

describe('no wildcard actions', () => {
  test.each([['*'], ['iam:*'], ['s3:Get*'], [['sqs:SendMessage', 'sqs:*']], ['iam:GetUse?']])(
    'a role policy allowing %j fails, naming the construct',
    (action) => {
      const stack = guardedStack();
      const role = new IamRole(stack, 'role', { assumeRolePolicy: trust });
      new IamRolePolicy(stack, 'too-broad', { role: role.id, policy: policy(action) });
      expect(synth(stack)).toThrow(
        /guardrail "no-wildcard-actions" failed at guarded\/too-broad: .*wildcard action/,
      );
    },
  );

  test('a managed policy with NotAction fails', () => {
    const stack = guardedStack();
    new IamPolicy(stack, 'not-action', {
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
      }),
    });
    expect(synth(stack)).toThrow(/guarded\/not-action: .*NotAction/);
  });

  test('a role inline policy with a wildcard fails', () => {
    const stack = guardedStack();
    new IamRole(stack, 'inline', {
      assumeRolePolicy: trust,
      inlinePolicy: [{ name: 'p', policy: policy('ses:*') }],
    });
    expect(synth(stack)).toThrow(/guarded\/inline: .*"ses:\*"/);
  });

  test('a policy that cannot be read (Terraform function) fails rather than passing unchecked', () => {
    const stack = guardedStack();
    const role = new IamRole(stack, 'role', { assumeRolePolicy: trust });
    new IamRolePolicy(stack, 'opaque', {
      role: role.id,
      policy: Fn.jsonencode({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    });
    expect(synth(stack)).toThrow(/guarded\/opaque: .*not a literal JSON document/);
  });

  test('named actions, and wildcards in Deny statements or resources, pass', () => {
    const stack = guardedStack();
    const role = new IamRole(stack, 'role', { assumeRolePolicy: trust });
    new IamRolePolicy(stack, 'fine', { role: role.id, policy: policy(['iam:GetUser']) });
    new IamRolePolicy(stack, 'deny', { role: role.id, policy: policy('s3:*', 'Deny') });
    expect(synth(stack)).not.toThrow();
    expect(wildcardActionProblems(policy('iam:ListAccountAliases'))).toEqual([]);
  });
});

describe('encryption at rest', () => {
  test('an SNS topic without a KMS key fails', () => {
    const stack = guardedStack();
    new SnsTopic(stack, 'plain-topic', { name: 't' });
    expect(synth(stack)).toThrow(/guardrail "encryption-at-rest" failed at guarded\/plain-topic/);
  });

  test('an SQS queue with neither SSE-SQS nor a KMS key fails', () => {
    const stack = guardedStack();
    new SqsQueue(stack, 'plain-queue', { name: 'q' });
    new SqsQueue(stack, 'sse-off', { name: 'q2', sqsManagedSseEnabled: false });
    expect(synth(stack)).toThrow(/guarded\/plain-queue[\s\S]*guarded\/sse-off/);
  });

  test('encrypted topics and queues pass', () => {
    const stack = guardedStack();
    new SnsTopic(stack, 'topic', {
      name: 't',
      kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/x',
    });
    new SqsQueue(stack, 'sse', { name: 'q', sqsManagedSseEnabled: true });
    new SqsQueue(stack, 'kms', { name: 'q2', kmsMasterKeyId: 'alias/x' });
    expect(synth(stack)).not.toThrow();
  });
});

describe('log retention', () => {
  test('a log group without retention fails', () => {
    const stack = guardedStack();
    new CloudwatchLogGroup(stack, 'forever', { name: '/x' });
    new CloudwatchLogGroup(stack, 'zero', { name: '/y', retentionInDays: 0 });
    expect(synth(stack)).toThrow(
      /guardrail "log-retention" failed at guarded\/forever[\s\S]*guarded\/zero/,
    );
  });

  test('a log group with retention passes', () => {
    const stack = guardedStack();
    new CloudwatchLogGroup(stack, 'kept', { name: '/x', retentionInDays: 30 });
    expect(synth(stack)).not.toThrow();
  });
});

describe('function failure destination', () => {
  const fnProps = {
    functionName: 'f',
    role: 'arn:aws:iam::123456789012:role/r',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    filename: 'x.zip',
  };

  test('a function without one fails', () => {
    const stack = guardedStack();
    new LambdaFunction(stack, 'lonely', fnProps);
    expect(synth(stack)).toThrow(
      /guardrail "function-failure-destination" failed at guarded\/lonely/,
    );
  });

  test('an invoke config without on_failure, or for another function, does not count', () => {
    const stack = guardedStack();
    const fn = new LambdaFunction(stack, 'fn', fnProps);
    const other = new LambdaFunction(stack, 'other', {
      ...fnProps,
      functionName: 'g',
      deadLetterConfig: { targetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
    });
    new LambdaFunctionEventInvokeConfig(stack, 'no-destination', {
      functionName: fn.functionName,
      maximumRetryAttempts: 2,
    });
    new LambdaFunctionEventInvokeConfig(stack, 'for-other', {
      functionName: other.functionName,
      destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:dlq' } },
    });
    expect(synth(stack)).toThrow(/guarded\/fn: .*no failure destination/);
  });

  test('an on-failure destination (by reference or by name) or a dead-letter config passes', () => {
    const stack = guardedStack();
    const a = new LambdaFunction(stack, 'a', fnProps);
    new LambdaFunction(stack, 'b', { ...fnProps, functionName: 'b' });
    new LambdaFunction(stack, 'c', {
      ...fnProps,
      functionName: 'c',
      deadLetterConfig: { targetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
    });
    const onFailure = { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:dlq' } };
    new LambdaFunctionEventInvokeConfig(stack, 'for-a', {
      functionName: a.arn,
      destinationConfig: onFailure,
    });
    new LambdaFunctionEventInvokeConfig(stack, 'for-b', {
      functionName: 'b',
      destinationConfig: onFailure,
    });
    expect(synth(stack)).not.toThrow();
  });
});

describe('unique DNS records', () => {
  const record = (stack: TerraformStack, id: string, name: string, type = 'TXT', zoneId = 'Z1') =>
    new Route53Record(stack, id, { zoneId, name, type, ttl: 300, records: ['"v"'] });

  test('two records of one zone with the same name and type fail, naming the second', () => {
    const stack = guardedStack();
    record(stack, 'first', '_amazonses.example.org');
    record(stack, 'second', '_AmazonSES.example.org.');
    expect(synth(stack)).toThrow(
      /guardrail "unique-dns-records" failed at guarded\/second: a Route 53 record with the same zone, name and type \(Z1 _amazonses\.example\.org TXT\) is already defined at guarded\/first/,
    );
  });

  test('names built from one token the same way collide too', () => {
    const stack = guardedStack();
    const dkim = new SesDomainDkim(stack, 'dkim', { domain: 'example.org' });
    record(stack, 'a', `${Fn.element(dkim.dkimTokens, 0)}._domainkey.example.org`, 'CNAME');
    record(stack, 'b', `${Fn.element(dkim.dkimTokens, 0)}._domainkey.example.org`, 'CNAME');
    expect(synth(stack)).toThrow(/guardrail "unique-dns-records" failed at guarded\/b/);
  });

  test('another type, another zone or another token is another record', () => {
    const stack = guardedStack();
    const dkim = new SesDomainDkim(stack, 'dkim', { domain: 'example.org' });
    record(stack, 'mx', 'mail.example.org', 'MX');
    record(stack, 'spf', 'mail.example.org', 'TXT');
    record(stack, 'other-zone', 'mail.example.org', 'TXT', 'Z2');
    record(stack, 'k0', `${Fn.element(dkim.dkimTokens, 0)}._domainkey.example.org`, 'CNAME');
    record(stack, 'k1', `${Fn.element(dkim.dkimTokens, 1)}._domainkey.example.org`, 'CNAME');
    expect(synth(stack)).not.toThrow();
  });
});

describe('failing synthesis for real', () => {
  test('app.synth() reports every violation at once and writes no configuration', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guardrails-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'guarded');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    applyGuardrails(stack);
    new SnsTopic(stack, 'plain-topic', { name: 't' });
    new CloudwatchLogGroup(stack, 'forever', { name: '/x' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/guarded\/plain-topic/);
    expect(message).toMatch(/guarded\/forever/);
    expect(existsSync(join(outdir, 'stacks', 'guarded', 'cdk.tf.json'))).toBe(false);
  });
});
