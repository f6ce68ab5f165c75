/** Reference resolution, configuration loading and the handler-call check, in process. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError } from '../../../inputs/errors';
import { deniedCalls, loadConfig, placeOf, type TfConfig } from '../../../review/rehearsal';
import { placeholderKeyId, Resolver } from '../../../review/rehearsal/resolve';
import { trailNoZone } from '../../support/stack';
import { MANAGED_USER_TAGS } from '../../../review/rehearsal/handler-calls';
import { editPolicy, resource, synthesizedConfig, withoutStatement } from '../../support/rehearsal';

const ACCOUNT = '111122223333';

function resolver(resource: TfConfig['resource'], extra: Partial<TfConfig> = {}): Resolver {
  const config: TfConfig = {
    provider: {
      aws: [
        { allowed_account_ids: [ACCOUNT], region: 'us-east-1' },
        { alias: 'west', region: 'eu-west-1' },
      ],
    },
    resource,
    ...extra,
  };
  return new Resolver(config, placeOf(config));
}

describe('references', () => {
  const r = resolver(
    {
      aws_sqs_queue: { q: { name: 'jobs' }, w: { name: 'west-jobs', provider: 'aws.west' } },
      aws_kms_key: { k: {} },
      aws_kms_alias: { a: { name: 'alias/pipeline', target_key_id: '${aws_kms_key.k.key_id}' } },
      aws_sns_topic: { t: { name: 'news' } },
      aws_lambda_function: { f: { function_name: 'fn', role: '${aws_iam_role.r.arn}' } },
      aws_iam_role: { r: { name: 'runner', path: '/service/' } },
      aws_s3_bucket: { b: { bucket: 'logs-${data.aws_caller_identity.me.account_id}' } },
      aws_cloudwatch_event_rule: { e: { name: 'on-bus', event_bus_name: 'custom' } },
      aws_cloudwatch_metric_alarm: { m: { alarm_name: 'too-many' } },
      aws_ses_domain_identity: { s: { domain: 'example.com' } },
    },
    {
      data: {
        aws_caller_identity: { me: {} },
        aws_region: { here: {} },
        aws_iam_policy_document: {
          doc: {
            statement: [
              {
                sid: 'Send',
                actions: ['sqs:SendMessage'],
                resources: ['${aws_sqs_queue.q.arn}'],
                principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
                condition: [
                  {
                    test: 'ArnEquals',
                    variable: 'aws:SourceArn',
                    values: ['${aws_sns_topic.t.arn}'],
                  },
                ],
              },
            ],
          },
        },
      },
    },
  );

  it.each([
    ['${aws_sqs_queue.q.arn}', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`],
    ['${aws_sqs_queue.q.url}', `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`],
    ['${aws_sqs_queue.w.arn}', `arn:aws:sqs:eu-west-1:${ACCOUNT}:west-jobs`],
    ['${aws_kms_key.k.arn}', `arn:aws:kms:us-east-1:${ACCOUNT}:key/${placeholderKeyId('k')}`],
    ['${aws_kms_key.k.key_id}', placeholderKeyId('k')],
    ['${aws_kms_alias.a.arn}', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/pipeline`],
    ['${aws_sns_topic.t.arn}', `arn:aws:sns:us-east-1:${ACCOUNT}:news`],
    ['${aws_lambda_function.f.arn}', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`],
    ['${aws_lambda_function.f.role}', `arn:aws:iam::${ACCOUNT}:role/service/runner`],
    ['${aws_iam_role.r.arn}', `arn:aws:iam::${ACCOUNT}:role/service/runner`],
    ['${aws_s3_bucket.b.arn}/AWSLogs/*', `arn:aws:s3:::logs-${ACCOUNT}/AWSLogs/*`],
    [
      '${aws_cloudwatch_event_rule.e.arn}',
      `arn:aws:events:us-east-1:${ACCOUNT}:rule/custom/on-bus`,
    ],
    [
      '${aws_cloudwatch_metric_alarm.m.arn}',
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:too-many`,
    ],
    ['${aws_ses_domain_identity.s.arn}', `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`],
    ['${aws_ses_domain_identity.s.domain}', 'example.com'],
    ['arn:aws:iam::${data.aws_caller_identity.me.account_id}:root', `arn:aws:iam::${ACCOUNT}:root`],
    ['${data.aws_region.here.name}', 'us-east-1'],
    ['user/$${aws:username}', 'user/${aws:username}'],
    ['policy/%%{if x}/p', 'policy/%{if x}/p'],
    ['policy/a%%{b}$${c}/${aws_s3_bucket.b.id}', `policy/a%{b}\${c}/logs-${ACCOUNT}`],
  ])('%s is %s', (text, value) => {
    expect(r.text(text)).toEqual({ value, unresolved: [] });
  });

  it('reports what it cannot resolve, with a value that matches no policy', () => {
    const out = r.text(
      '${aws_sqs_queue.missing.arn} ${jsonencode({a = 1})} ${data.aws_caller_identity.me.arn}',
    );
    expect(out.unresolved).toEqual([
      '${aws_sqs_queue.missing.arn}',
      '${jsonencode({a = 1})}',
      '${data.aws_caller_identity.me.arn}',
    ]);
    expect(out.value).toMatch(/^arn:aws:unresolved:::/);
  });

  it('resolves references inside JSON-encoded policies and renders policy document data sources', () => {
    const doc = r.policy('${data.aws_iam_policy_document.doc.json}').document;
    expect(doc?.Statement).toEqual([
      {
        Sid: 'Send',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`,
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:news` } },
      },
    ]);
  });
});

describe('the account comes from the configuration', () => {
  it('from allowed_account_ids, else from the ARNs in it', () => {
    expect(
      placeOf({ provider: { aws: [{ allowed_account_ids: ['210987654321'] }] } }).accountId,
    ).toBe('210987654321');
    const fromArns: TfConfig = {
      resource: {
        aws_iam_role_policy: {
          p: { policy: '{"Resource":"arn:aws:sqs:us-east-1:333344445555:q"}' },
        },
      },
    };
    expect(placeOf(fromArns)).toMatchObject({ accountId: '333344445555', region: 'us-east-1' });
  });

  it('is an input error when nothing names one', () => {
    expect(() => placeOf({ resource: { aws_sqs_queue: { q: { name: 'x' } } } })).toThrow(
      InputFileError,
    );
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-'));
  const file = (name: string, text = '') => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ['a missing file', join(dir, 'nope.json'), /cannot read the file: file not found/],
    ['a file that is not JSON', file('bad.json'), /JSON syntax error/],
    [
      'a configuration without resources',
      file('empty.json', '{"resource": {}}'),
      /defines no resources/,
    ],
    ['JSON that is not an object', file('list.json', '[1]'), /not a Terraform JSON configuration/],
  ])('refuses %s with a clear message', (_what, path, message) => {
    if (path.endsWith('bad.json')) writeFileSync(path, '{"resource": ');
    expect(() => loadConfig(path)).toThrow(InputFileError);
    expect(() => loadConfig(path)).toThrow(message);
  });
});

describe('deniedCalls: SDK calls checked against the synthesized role', () => {
  const user = (name: string) => `arn:aws:iam::123456789012:user/iam-onboarding/${name}`;
  const sender = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';
  const queue = 'arn:aws:sqs:us-east-1:123456789012:iam-onboarding-welcome-queue';

  it('returns the calls the role does not grant, with why', async () => {
    const config = synthesizedConfig(trailNoZone());
    const denied = await deniedCalls(config, [
      { action: 'iam:GetUser', resource: user('alice') },
      { action: 'iam:CreateLoginProfile', resource: user('alice'), context: MANAGED_USER_TAGS },
      { action: 'iam:GetAccountPasswordPolicy', resource: '*' },
      {
        action: 'ses:SendEmail',
        resource: sender,
        context: { 'ses:FromAddress': 'onboarding@example.com' },
      },
      {
        action: 'iam:TagUser',
        resource: user('alice'),
        context: { ...MANAGED_USER_TAGS, 'aws:TagKeys': ['iam-onboarding:welcomed'] },
      },
      { action: 'sqs:SendMessage', resource: queue },
      // Refused: outside the path; a user without the managed-by tag; another sender; another tag.
      { action: 'iam:CreateLoginProfile', resource: 'arn:aws:iam::123456789012:user/bob' },
      { action: 'iam:DeleteLoginProfile', resource: user('untagged') },
      {
        action: 'ses:SendEmail',
        resource: sender,
        context: { 'ses:FromAddress': 'ceo@example.com' },
      },
      {
        action: 'iam:TagUser',
        resource: user('alice'),
        context: { ...MANAGED_USER_TAGS, 'aws:TagKeys': ['email'] },
      },
    ]);
    expect(denied.map((d) => [d.action, d.resource, d.context?.['ses:FromAddress']])).toEqual([
      ['iam:CreateLoginProfile', 'arn:aws:iam::123456789012:user/bob', undefined],
      ['iam:DeleteLoginProfile', user('untagged'), undefined],
      ['ses:SendEmail', sender, 'ceo@example.com'],
      ['iam:TagUser', user('alice'), undefined],
    ]);
    expect(denied[0].reason).toBe(
      'no statement in role policy welcome allows iam:CreateLoginProfile on arn:aws:iam::123456789012:user/bob',
    );
  });

  it('applies the resource policies of the configuration (the queue and its key)', async () => {
    const key = `arn:aws:kms:us-east-1:123456789012:key/${placeholderKeyId('pipeline_key_9778BF5E')}`;
    const config = synthesizedConfig(trailNoZone());
    // SQS names the queue in the encryption context of the KMS requests it makes for it.
    const viaQueue = { 'kms:EncryptionContext:aws:sqs:arn': queue };
    expect(
      await deniedCalls(config, [
        { action: 'sqs:ReceiveMessage', resource: queue },
        { action: 'kms:Decrypt', resource: key, context: viaQueue },
      ]),
    ).toEqual([]);
    // The role may not use the shared key for anything else (the topics' data).
    const topic = 'arn:aws:sns:us-east-1:123456789012:iam-onboarding-user-created';
    expect(
      (
        await deniedCalls(config, [
          {
            action: 'kms:Decrypt',
            resource: key,
            context: { 'kms:EncryptionContext:aws:sns:topicArn': topic },
          },
        ])
      ).map((d) => d.action),
    ).toEqual(['kms:Decrypt']);
    // The key policy decides too: without the account statement, the role's own grant is not enough.
    editPolicy(
      resource(config, 'aws_kms_key'),
      withoutStatement('AccountAdministersKeyThroughIam'),
    );
    const denied = await deniedCalls(config, [
      { action: 'sqs:ReceiveMessage', resource: queue },
      { action: 'kms:Decrypt', resource: key, context: viaQueue },
    ]);
    expect(denied.map((d) => d.action)).toEqual(['kms:Decrypt']);
    expect(denied[0].reason).toContain('key policy of iam-onboarding has no statement allowing');
  });

  it('finds the function by name, and says when there is none', async () => {
    const config = synthesizedConfig(trailNoZone());
    await expect(
      deniedCalls(config, [{ action: 'iam:GetUser', resource: user('alice') }], {
        functionName: 'iam-onboarding-welcome',
      }),
    ).resolves.toEqual([]);
    await expect(deniedCalls(config, [], { functionName: 'nope' })).rejects.toThrow(
      'no function nope in the configuration',
    );
  });
});
