/**
 * One canary per moto gap the harness works around (emulator/gaps.ts, the
 * README's emulator table): each asserts the gap as moto 5.2.1 shows it, so
 * it fails once moto closes the gap, and the workaround can go. Run in moto's
 * in-process mode (mock_aws) in a Python process: no server needed.
 */
import { spawnSync } from 'node:child_process';
import { motoMatches } from '../../emulator/flow';
import { motoPython } from '../../emulator/moto-server';

/** Runs a Python snippet under mock_aws; it prints one JSON value. */
function underMoto(body: string, env: Record<string, string> = {}): unknown {
  const script = [
    'import json, io, zipfile, boto3',
    'from moto import mock_aws',
    'from botocore.exceptions import ClientError',
    'def err(f):',
    '    try:',
    '        f()',
    '        return None',
    '    except ClientError as e:',
    '        return e.response["Error"]["Code"]',
    '    except Exception as e:',
    '        return type(e).__name__',
    'kw = dict(region_name="us-east-1")',
    '@mock_aws',
    'def main():',
    ...body
      .trim()
      .split('\n')
      .map((l) => `    ${l}`),
    'print(json.dumps(main()))',
  ].join('\n');
  const r = spawnSync(motoPython(), ['-c', script], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      MOTO_IAM_LOAD_MANAGED_POLICIES: '',
      ...env,
    },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe("moto's gaps the harness works around (each fails once moto closes it)", () => {
  it('AWS-managed policies exist only with MOTO_IAM_LOAD_MANAGED_POLICIES=true', () => {
    const get = `return err(lambda: boto3.client("iam", **kw).get_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"))`;
    expect(underMoto(get)).toBe('NoSuchEntity');
    expect(underMoto(get, { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' })).toBeNull();
  });

  it("CloudTrail StartLogging with the trail's ARN fails (moto looks it up by name)", () => {
    const out = underMoto(`
s3 = boto3.client("s3", **kw); s3.create_bucket(Bucket="trail-bucket")
ct = boto3.client("cloudtrail", **kw)
arn = ct.create_trail(Name="trail-1", S3BucketName="trail-bucket")["TrailARN"]
return [err(lambda: ct.start_logging(Name=arn)), err(lambda: ct.start_logging(Name="trail-1"))]`);
    expect(out).toEqual([expect.any(String), null]);
  });

  it('SQS reads the RedrivePolicy back re-serialised with spaces (a "whitespace" diff on every plan)', () => {
    const out = underMoto(`
sqs = boto3.client("sqs", **kw)
dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
given = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5}, separators=(",", ":"))
q = sqs.create_queue(QueueName="q", Attributes={"RedrivePolicy": given})["QueueUrl"]
back = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
return [given == back, json.loads(given) == json.loads(back)]`);
    expect(out).toEqual([false, true]);
  });

  it("Lambda keeps no LoggingConfig (the function's logging_config diff on every plan)", () => {
    const out = underMoto(`
iam = boto3.client("iam", **kw)
role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
buf = io.BytesIO(); z = zipfile.ZipFile(buf, "w"); z.writestr("index.js", "exports.handler=async()=>1"); z.close()
lam = boto3.client("lambda", **kw)
lam.create_function(FunctionName="f", Runtime="nodejs22.x", Role=role, Handler="index.handler", Code={"ZipFile": buf.getvalue()},
    LoggingConfig={"LogFormat": "Text", "LogGroup": "/aws/lambda/f"})
return "LoggingConfig" in lam.get_function_configuration(FunctionName="f")`);
    expect(out).toBe(false);
  });

  it("SQS SetQueueAttributes without Policy clears the queue's policy (a replay that changes the KMS key id re-creates aws_sqs_queue_policy)", () => {
    const out = underMoto(`
sqs = boto3.client("sqs", **kw)
q = sqs.create_queue(QueueName="q")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
pol = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn}]})
sqs.set_queue_attributes(QueueUrl=q, Attributes={"Policy": pol})
has = lambda: "Policy" in sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["Policy"]).get("Attributes", {})
before = has()
sqs.set_queue_attributes(QueueUrl=q, Attributes={"KmsMasterKeyId": "alias/other"})
return [before, has()]`);
    // SQS changes only the attributes it is given: the policy would still be there.
    expect(out).toEqual([true, false]);
  });

  it("Lambda's event source mapping without Docker receives each message on arrival and makes it visible again at once", () => {
    const out = underMoto(`
iam = boto3.client("iam", **kw)
role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
buf = io.BytesIO(); z = zipfile.ZipFile(buf, "w"); z.writestr("index.js", "exports.handler=async()=>({batchItemFailures:[]})"); z.close()
lam = boto3.client("lambda", **kw)
lam.create_function(FunctionName="f", Runtime="nodejs22.x", Role=role, Handler="index.handler", Code={"ZipFile": buf.getvalue()})
sqs = boto3.client("sqs", **kw)
q = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "360"})["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="f", BatchSize=1, FunctionResponseTypes=["ReportBatchItemFailures"])
sqs.send_message(QueueUrl=q, MessageBody="x")
m = sqs.receive_message(QueueUrl=q, AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
return [x["Attributes"]["ApproximateReceiveCount"] for x in m]`);
    // Lambda would have run the function (empty batchItemFailures) and deleted the message.
    expect(out).toEqual(['2']);
  });

  it("EventBridge's TestEventPattern answers with no Result, matching or not (the harness asks moto's matcher itself)", () => {
    const out = underMoto(`
ev = boto3.client("events", **kw)
e = json.dumps({"id": "1", "detail-type": "x", "source": "aws.iam", "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [], "detail": {}})
return [sorted(k for k in ev.test_event_pattern(EventPattern=json.dumps({"source": [s]}), Event=e) if k != "ResponseMetadata") for s in ["aws.iam", "aws.s3"]]`);
    expect(out).toEqual([[], []]);
  });

  it('SESv2 GetSuppressedDestination is not implemented (AWS answers NotFoundException for an address not on the list)', () => {
    const out = underMoto(
      `return err(lambda: boto3.client("sesv2", **kw).get_suppressed_destination(EmailAddress="new.person@example.com"))`,
    );
    // moto's server answers an HTML 404 page the SDK cannot parse; the proxy answers as AWS does.
    expect(out).toBe('NotImplementedError');
  });

  it('/moto-api/data.json fails once a Lambda function exists', () => {
    const out = underMoto(`
import requests
iam = boto3.client("iam", **kw)
role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
data = lambda: requests.get("http://motoapi.amazonaws.com/moto-api/data.json").status_code
before = data()
buf = io.BytesIO(); z = zipfile.ZipFile(buf, "w"); z.writestr("index.js", "exports.handler=async()=>1"); z.close()
boto3.client("lambda", **kw).create_function(FunctionName="f", Runtime="nodejs22.x", Role=role, Handler="index.handler", Code={"ZipFile": buf.getvalue()})
try:
    after = data()
except Exception as e:
    after = type(e).__name__
return [before, after]`);
    // The server answers HTTP 500 there; in-process the same serialisation raises.
    expect(out).toEqual([200, expect.anything()]);
    expect((out as unknown[])[1]).not.toBe(200);
  });

  it("IAM's login profile CreateDate is the user's, not the profile's", () => {
    const out = underMoto(`
import time
iam = boto3.client("iam", **kw)
user = iam.create_user(UserName="u")["User"]["CreateDate"]
time.sleep(1.5)
iam.create_login_profile(UserName="u", Password="Aa1!aaaaaaaaaaaa")
return iam.get_login_profile(UserName="u")["LoginProfile"]["CreateDate"] == user`);
    expect(out).toBe(true);
  });

  it('SES publishes no configuration-set events (sends, bounces) to their SNS destination', () => {
    const out = underMoto(`
sns = boto3.client("sns", **kw); topic = sns.create_topic(Name="t")["TopicArn"]
sqs = boto3.client("sqs", **kw); q = sqs.create_queue(QueueName="q")["QueueUrl"]
qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
ses = boto3.client("ses", **kw)
ses.verify_domain_identity(Domain="example.com")
ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={"Name": "d", "Enabled": True, "MatchingEventTypes": ["send", "delivery", "bounce"], "SNSDestination": {"TopicARN": topic}})
ses.send_email(Source="it@example.com", Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]}, Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}, ConfigurationSetName="cs")
n = len(sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10).get("Messages", []))
sns.publish(TopicArn=topic, Message="control")
return [n, len(sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10).get("Messages", []))]`);
    // The topic reaches the queue (the control), yet neither the send nor the bounce came.
    expect(out).toEqual([0, 1]);
  });

  it('IAM has no ListServiceSpecificCredentials (force_destroy lists them before DeleteUser)', () => {
    const out = underMoto(`
iam = boto3.client("iam", **kw); iam.create_user(UserName="u")
return err(lambda: iam.list_service_specific_credentials(UserName="u"))`);
    expect(out).not.toBeNull();
  });

  it('SES has no DeleteConfigurationSetEventDestination (the teardown deletes each destination first)', () => {
    const out = underMoto(`
ses = boto3.client("ses", **kw); ses.create_configuration_set(ConfigurationSet={"Name": "s"})
ses.create_configuration_set_event_destination(ConfigurationSetName="s", EventDestination={"Name": "d", "Enabled": True, "MatchingEventTypes": ["bounce"], "SNSDestination": {"TopicARN": "arn:aws:sns:us-east-1:123456789012:t"}})
return err(lambda: ses.delete_configuration_set_event_destination(ConfigurationSetName="s", EventDestinationName="d"))`);
    expect(out).toBe('NotImplementedError');
  });

  it('IAM CreateLoginProfile ignores PasswordResetRequired', () => {
    const out = underMoto(`
iam = boto3.client("iam", **kw); iam.create_user(UserName="u")
iam.create_login_profile(UserName="u", Password="Aa1!aaaaaaaaaaaa", PasswordResetRequired=True)
return iam.get_login_profile(UserName="u")["LoginProfile"]["PasswordResetRequired"]`);
    expect(out).toBe(false);
  });

  it('EventBridge cannot deliver to an SNS target', () => {
    const out = underMoto(`
sns = boto3.client("sns", **kw); topic = sns.create_topic(Name="t")["TopicArn"]
ev = boto3.client("events", **kw)
ev.put_rule(Name="r", EventPattern=json.dumps({"source": ["aws.iam"]}))
ev.put_targets(Rule="r", Targets=[{"Id": "1", "Arn": topic}])
return err(lambda: ev.put_events(Entries=[{"Source": "aws.iam", "DetailType": "x", "Detail": "{}"}]))`);
    expect(out).toEqual(expect.any(String));
  });

  it("EventBridge's matcher does not look into lists of objects", () => {
    const pattern = JSON.stringify({ detail: { tags: { key: ['resend-welcome'] } } });
    const event = { detail: { tags: [{ key: 'resend-welcome', value: '1' }] } };
    // EventBridge matches this event (a field inside a list of objects); moto does not.
    expect(motoMatches(pattern, event)).toBe(false);
    expect(motoMatches(pattern, { detail: { tags: { key: ['resend-welcome'] } } })).toBe(true);
  });

  it('CloudTrail records no events from API calls', () => {
    const out = underMoto(`
boto3.client("iam", **kw).create_user(UserName="u")
ct = boto3.client("cloudtrail", **kw)
r = None
try:
    r = len(ct.lookup_events()["Events"])
except Exception as e:
    r = type(e).__name__
return r`);
    expect(out === 0 || typeof out === 'string').toBe(true);
  });
});
