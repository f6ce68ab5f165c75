/**
 * The reading of Terraform's debug log (emulator/provider-log.ts), on
 * entries shaped as Terraform 1.11 and the AWS provider 5.100.0 write them
 * (trimmed from a real recording): key=value entries whose request body
 * follows on `|` lines, the JSON form Terraform cuts into 64 KiB pieces,
 * Terraform's own "applying the planned ... change" lines.
 */
import { field, logEntries, parseProviderLog } from '../../emulator/provider-log';
import { recordedCalls } from '../../emulator/provider-record';

const P = '[DEBUG] provider.terraform-provider-aws_v5.100.0_x5:';
const sent = (time: string, fields: string, body = 'Action=X&Version=2010-05-08') =>
  `2026-12-03T10:23:${time}Z ${P} HTTP Request Sent: http.method=POST ${fields} @module=aws\n  http.request.body=\n  | ${body}\n   rpc.system=aws-api timestamp=2026-12-03T10:23:${time}Z`;

const LOG = [
  `2026-12-03T10:23:00.100Z ${P} HTTP Request Sent: rpc.method=GetUser rpc.service=IAM tf_rpc=ConfigureProvider tf_req_id=a0`,
  `2026-12-03T10:23:18.357Z [DEBUG] aws_iam_user_group_membership.carla_dot_diaz: applying the planned Delete change`,
  sent(
    '18.360',
    'tf_req_id=r1 tf_resource_type=aws_iam_user_group_membership rpc.method=RemoveUserFromGroup rpc.service=IAM tf_rpc=ApplyResourceChange',
  ),
  `2026-12-03T10:23:18.411Z [DEBUG] aws_iam_user.bo_dot_chen: applying the planned Update change`,
  sent(
    '18.420',
    'tf_rpc=ApplyResourceChange rpc.service=IAM tf_req_id=r2 rpc.method=TagUser tf_resource_type=aws_iam_user',
    // A body that looks like fields: never read.
    'Action=TagUser&x rpc.method=DeleteUser tf_resource_type=aws_kms_key',
  ),
  `2026-12-03T10:23:19.000Z [DEBUG] aws_iam_user.alice: applying the planned Create change`,
  // r2's later request stays an update although a create started since.
  sent(
    '19.010',
    'tf_req_id=r2 tf_resource_type=aws_iam_user rpc.method=GetUser rpc.service=IAM tf_rpc=ApplyResourceChange',
  ),
  sent(
    '19.020',
    'rpc.service="CloudWatch Logs" rpc.method=DescribeLogGroups tf_rpc=ReadResource tf_req_id=r3 tf_resource_type=aws_cloudwatch_log_group',
  ),
  `2026-12-03T10:23:19.025Z [DEBUG] aws_s3_bucket.trail: applying the planned Create change`,
  `2026-12-03T10:23:19.030Z ${P} {"@message":"HTTP Request Sent","rpc.service":"S3","http.request.body":"{\\"a\\":\\"rpc.method\\":\\"Nope\\"`,
  `2026-12-03T10:23:19.030Z ${P} \\"}","rpc.method":"HeadBucket","tf_rpc":"ApplyResourceChange","tf_req_id":"r4","tf_resource_type":"aws_s3_bucket"}`,
  `2026-12-03T10:23:19.040Z ${P} [DEBUG] Waiting for state to become: [success]`,
].join('\n');

describe('the provider log', () => {
  it('joins an entry and the lines after it', () => {
    expect(
      logEntries('2026-12-03T10:23:00.000Z [DEBUG] a\n  | b\n2026-12-03T10:23:01.000Z [INFO] c'),
    ).toEqual(['2026-12-03T10:23:00.000Z [DEBUG] a\n  | b', '2026-12-03T10:23:01.000Z [INFO] c']);
  });

  it('reads bare and quoted fields', () => {
    expect(field('x rpc.service="CloudWatch Logs" rpc.method=Put', 'rpc.service')).toBe(
      'CloudWatch Logs',
    );
    expect(field('x rpc.service="CloudWatch Logs" rpc.method=Put', 'rpc.method')).toBe('Put');
    expect(field('xrpc.method=Put', 'rpc.method')).toBeUndefined();
  });

  it('attributes each request to its type and the change Terraform started for it', () => {
    const parsed = parseProviderLog(LOG);
    expect(parsed.providerVersion).toBe('5.100.0');
    expect(parsed.unattributed).toBe(1);
    expect(parsed.calls).toEqual([
      {
        type: 'aws_iam_user_group_membership',
        phase: 'delete',
        service: 'IAM',
        operation: 'RemoveUserFromGroup',
      },
      { type: 'aws_iam_user', phase: 'update', service: 'IAM', operation: 'TagUser' },
      { type: 'aws_iam_user', phase: 'update', service: 'IAM', operation: 'GetUser' },
      {
        type: 'aws_cloudwatch_log_group',
        phase: 'read',
        service: 'CloudWatch Logs',
        operation: 'DescribeLogGroups',
      },
      // The JSON form, joined from its two pieces; the body's look-alike field ignored.
      { type: 'aws_s3_bucket', phase: 'create', service: 'S3', operation: 'HeadBucket' },
    ]);
  });

  it('refuses an apply request it cannot attribute, naming it', () => {
    const log = sent(
      '20.000',
      'tf_req_id=r9 tf_resource_type=aws_sqs_queue rpc.method=CreateQueue rpc.service=SQS tf_rpc=ApplyResourceChange',
    );
    expect(() => parseProviderLog(log)).toThrow(
      'cannot tell the phase of SQS CreateQueue for aws_sqs_queue (tf_rpc=ApplyResourceChange)',
    );
  });

  it('refuses a planned action it does not know', () => {
    expect(() =>
      parseProviderLog(
        '2026-12-03T10:23:00.000Z [DEBUG] aws_sqs_queue.q: applying the planned Forget change',
      ),
    ).toThrow('unexpected planned action in the log');
  });
});

describe('the record', () => {
  it('keeps each (type, phase, operation) once, sorted, with the actions authorizing it', () => {
    const calls = recordedCalls([
      { type: 'aws_s3_bucket', phase: 'read', service: 'S3', operation: 'HeadBucket' },
      { type: 'aws_iam_user', phase: 'delete', service: 'IAM', operation: 'DeleteUser' },
      { type: 'aws_iam_user', phase: 'create', service: 'IAM', operation: 'CreateUser' },
      { type: 'aws_iam_user', phase: 'create', service: 'IAM', operation: 'CreateUser' },
      { type: 'aws_iam_user', phase: 'create', service: 'IAM', operation: 'AddUserToGroup' },
    ]);
    expect(calls.map((c) => [c.type, c.phase, c.operation, c.actions.join(' ')])).toEqual([
      ['aws_iam_user', 'create', 'IAM:AddUserToGroup', 'iam:AddUserToGroup@group'],
      ['aws_iam_user', 'create', 'IAM:CreateUser', 'iam:CreateUser'],
      ['aws_iam_user', 'delete', 'IAM:DeleteUser', 'iam:DeleteUser'],
      ['aws_s3_bucket', 'read', 'S3:HeadBucket', 's3:ListBucket'],
    ]);
  });

  it('refuses a service it has no IAM prefix for', () => {
    expect(() =>
      recordedCalls([{ type: 'aws_x', phase: 'read', service: 'Nowhere', operation: 'Get' }]),
    ).toThrow('no IAM service prefix for the SDK\'s service "Nowhere"');
  });
});
