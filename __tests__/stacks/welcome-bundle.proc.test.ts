/**
 * The bundle the pipeline deploys: deterministic, self-contained, and working.
 * The built index.js runs in a fresh Node process, outside the repository (so
 * nothing can be resolved from node_modules), with its bundled SDK talking
 * over HTTP to a tiny IAM + SES on 127.0.0.1 (query protocol: form-encoded
 * POST in, XML out), and, for a Slack person, SSM (JSON protocol) and the
 * local stand-in for Slack's Web API (support/fake-slack.ts) through the
 * runtime's own fetch.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleWelcome, type WelcomeBundle } from '../../stacks/welcome-bundle';
import { createUserEvent, lambdaContext, sqsEvent } from '../support/welcome-events';
import { FakeSlack } from '../support/fake-slack';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

let workDir: string;
let bundle: WelcomeBundle;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'welcome-bundle-'));
  bundle = bundleWelcome({ outdir: join(workDir, 'a') });
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('bundleWelcome', () => {
  it('is deterministic: two bundles of the same code are byte-identical', () => {
    const again = bundleWelcome({ outdir: join(workDir, 'b') });
    expect(readdirSync(bundle.dir)).toEqual(['index.js']);
    expect(readdirSync(again.dir)).toEqual(['index.js']);
    const first = readFileSync(bundle.entry);
    expect(first.equals(readFileSync(again.entry))).toBe(true);
    expect(bundle.bytes).toBe(first.length);
    // Nothing machine-specific in the output (it would change the asset hash per checkout).
    expect(first.toString('utf8')).not.toContain(ROOT);
    expect(first.toString('utf8')).not.toContain('sourceMappingURL');
  });

  it('zips the same code to the same bytes, and reports the hash Lambda will report', () => {
    const again = bundleWelcome({ outdir: join(workDir, 'b') });
    const zip = readFileSync(bundle.archive);
    expect(zip.equals(readFileSync(again.archive))).toBe(true);
    expect(bundle.archiveSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(bundle.archive.startsWith(bundle.dir + '/')).toBe(false);
  });

  it('reuses an unchanged bundle and rebuilds when the bundle or the cache is tampered with', () => {
    const dir = join(workDir, 'cached');
    const first = bundleWelcome({ outdir: dir });
    const built = statSync(first.entry).mtimeMs;
    const cached = bundleWelcome({ outdir: dir });
    expect(statSync(cached.entry).mtimeMs).toBe(built);
    expect(cached.archiveSha256).toBe(first.archiveSha256);

    writeFileSync(first.entry, '/* edited by hand */');
    const rebuilt = bundleWelcome({ outdir: dir });
    expect(readFileSync(rebuilt.entry, 'utf8')).not.toContain('edited by hand');
    expect(rebuilt.archiveSha256).toBe(first.archiveSha256);

    const forced = bundleWelcome({ outdir: dir, cache: false });
    expect(forced.archiveSha256).toBe(first.archiveSha256);
  });

  it('bundles the AWS SDK clients instead of expecting them at runtime', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((p) => p.includes('@aws-sdk/client-iam/'))).toBe(true);
    expect(inputs.some((p) => p.includes('@aws-sdk/client-ses/'))).toBe(true);
    // Whatever is left to be required at runtime is a Node built-in.
    const external = Object.values(bundle.metafile.outputs)[0]
      .imports.filter((i) => i.external)
      .map((i) => i.path);
    expect(external.length).toBeGreaterThan(0);
    expect(external.filter((path) => !builtinModules.includes(path.replace(/^node:/, '')))).toEqual(
      [],
    );
  });
});

interface Call {
  action: string;
  params: URLSearchParams;
  authorization: string | undefined;
}

/**
 * IAM and SES (query protocol) for one managed user, and SESv2's
 * GetSuppressedDestination (REST JSON) answering as AWS does for an address
 * not on the account's suppression list. With `slack`, the user's channel
 * tag says `slack` and SSM (JSON 1.1) holds the bot token.
 */
function fakeAwsServer(slack?: { readonly token: () => string }): {
  server: Server;
  calls: Call[];
  url: () => string;
} {
  const calls: Call[] = [];
  let profile = false;
  let welcomedTag: string | undefined;
  const iamNs = 'https://iam.amazonaws.com/doc/2010-05-08/';
  const ok = (action: string, result: string, ns = iamNs): string =>
    `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
  const error = (code: string, message: string): string =>
    `<ErrorResponse xmlns="${iamNs}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`;

  const respond = (call: Call): [number, string] => {
    switch (call.action) {
      case 'GetUser':
        return [
          200,
          ok(
            'GetUser',
            '<User><Path>/iam-onboarding/</Path><UserName>bundled.user</UserName>' +
              '<UserId>AIDABUNDLEDUSER</UserId>' +
              '<Arn>arn:aws:iam::123456789012:user/iam-onboarding/bundled.user</Arn>' +
              '<CreateDate>2025-01-01T00:00:00Z</CreateDate></User>',
          ),
        ];
      case 'ListUserTags':
        return [
          200,
          ok(
            'ListUserTags',
            '<Tags><member><Key>managed-by</Key><Value>iam-onboarding</Value></member>' +
              '<member><Key>email</Key><Value>bundled.user@example.com</Value></member>' +
              (slack ? '<member><Key>delivery-channel</Key><Value>slack</Value></member>' : '') +
              (welcomedTag === undefined
                ? ''
                : `<member><Key>iam-onboarding:welcomed</Key><Value>${welcomedTag}</Value></member>`) +
              '</Tags><IsTruncated>false</IsTruncated>',
          ),
        ];
      case 'GetAccountPasswordPolicy':
        return [404, error('NoSuchEntity', 'The Password Policy cannot be found.')];
      case 'ListAccountAliases':
        return [
          200,
          ok(
            'ListAccountAliases',
            '<AccountAliases><member>bundle-test</member></AccountAliases><IsTruncated>false</IsTruncated>',
          ),
        ];
      case 'CreateLoginProfile':
        if (profile) return [409, error('EntityAlreadyExists', 'Login Profile already exists.')];
        profile = true;
        return [
          200,
          ok(
            'CreateLoginProfile',
            '<LoginProfile><UserName>bundled.user</UserName><CreateDate>2025-01-01T00:00:00Z</CreateDate>' +
              '<PasswordResetRequired>true</PasswordResetRequired></LoginProfile>',
          ),
        ];
      case 'TagUser':
        if (call.params.get('Tags.member.1.Key') !== 'iam-onboarding:welcomed') {
          return [400, error('InvalidInput', 'unexpected tag')];
        }
        welcomedTag = call.params.get('Tags.member.1.Value') ?? '';
        return [200, ok('TagUser', '')];
      case 'SendEmail':
        return [
          200,
          ok(
            'SendEmail',
            '<MessageId>msg-bundled-1</MessageId>',
            'http://ses.amazonaws.com/doc/2010-12-01/',
          ),
        ];
      default:
        return [400, error('InvalidAction', `unexpected ${call.action}`)];
    }
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const suppression = /^\/v2\/email\/suppression\/addresses\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'GET' && suppression) {
        const address = decodeURIComponent(suppression[1]);
        calls.push({
          action: 'GetSuppressedDestination',
          params: new URLSearchParams({ EmailAddress: address }),
          authorization: req.headers.authorization,
        });
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'NotFoundException',
          'x-amzn-requestid': 'req-1',
        });
        res.end(JSON.stringify({ message: `Email address ${address} does not exist.` }));
        return;
      }
      const target = req.headers['x-amz-target'];
      if (slack && target === 'AmazonSSM.GetParameter') {
        const input = JSON.parse(body) as { Name?: string; WithDecryption?: boolean };
        calls.push({
          action: 'GetParameter',
          params: new URLSearchParams({
            Name: input.Name ?? '',
            WithDecryption: String(input.WithDecryption),
          }),
          authorization: req.headers.authorization,
        });
        res.writeHead(200, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': 'req-1',
        });
        res.end(
          JSON.stringify({
            Parameter: { Name: input.Name, Type: 'SecureString', Value: slack.token(), Version: 1 },
          }),
        );
        return;
      }
      const params = new URLSearchParams(body);
      const call = {
        action: params.get('Action') ?? '',
        params,
        authorization: req.headers.authorization,
      };
      calls.push(call);
      const [status, xml] = respond(call);
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
      res.end(xml);
    });
  });
  return {
    server,
    calls,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

/** Runs the bundled handler once in a fresh Node process; returns its result and output. */
async function invokeBundle(
  entry: string,
  endpoint: string,
  event: unknown,
  env: Record<string, string> = {},
): Promise<{ result: unknown; stdout: string }> {
  const script = `
    const { handler } = require(${JSON.stringify(entry)});
    const context = ${JSON.stringify({ ...lambdaContext(), getRemainingTimeInMillis: undefined })};
    context.getRemainingTimeInMillis = () => 60000;
    handler(JSON.parse(process.env.TEST_EVENT), context).then(
      (result) => { process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n'); },
      (error) => { process.stdout.write('ERROR ' + error.name + ' ' + error.message + '\\n'); process.exitCode = 1; },
    );`;
  const { stdout } = await run(process.execPath, ['--no-warnings', '-e', script], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'placeholder-secret-key',
      AWS_ENDPOINT_URL_IAM: endpoint,
      AWS_ENDPOINT_URL_SES: endpoint,
      AWS_ENDPOINT_URL_SESV2: endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(workDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
      SENDER_ADDRESS: 'Example IT <onboarding@example.com>',
      ORGANISATION_NAME: 'Example Corp',
      HELP_CONTACT: 'it-help@example.com',
      TEST_EVENT: JSON.stringify(event),
      ...env,
    },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: line === undefined ? undefined : JSON.parse(line.slice(7)), stdout };
}

describe('the built bundle, end to end over HTTP', () => {
  const fake = fakeAwsServer();
  beforeAll(() => new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done)));
  afterAll(() => new Promise<void>((done) => fake.server.close(() => done())));

  it('welcomes a new user once (SQS), after asking SES for its suppression list; the same event again sends nothing', async () => {
    const created = createUserEvent({ userName: 'bundled.user', userId: 'AIDABUNDLEDUSER' });

    const first = await invokeBundle(bundle.entry, fake.url(), sqsEvent(created));
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(fake.calls.map((c) => c.action)).toEqual([
      'GetUser',
      'ListUserTags',
      'GetSuppressedDestination',
      'GetAccountPasswordPolicy',
      'ListAccountAliases',
      'CreateLoginProfile',
      'SendEmail',
      'TagUser',
    ]);
    expect(Number.isNaN(Date.parse(fake.calls[7].params.get('Tags.member.1.Value') ?? ''))).toBe(
      false,
    );
    expect(fake.calls.every((c) => c.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
    expect(fake.calls[2].params.get('EmailAddress')).toBe('bundled.user@example.com');
    const create = fake.calls[5].params;
    const password = create.get('Password') ?? '';
    expect(create.get('UserName')).toBe('bundled.user');
    expect(create.get('PasswordResetRequired')).toBe('true');
    expect(password.length).toBeGreaterThanOrEqual(20);
    const send = fake.calls[6].params;
    expect(send.get('Source')).toBe('"Example IT" <onboarding@example.com>');
    expect(send.get('Destination.ToAddresses.member.1')).toBe('bundled.user@example.com');
    expect(send.get('Message.Body.Text.Data')).toContain(`Temporary password: ${password}`);
    expect(send.get('Message.Body.Text.Data')).toContain(
      'https://bundle-test.signin.aws.amazon.com/console',
    );
    expect(first.stdout).toContain('"outcome":"welcomed"');
    expect(first.stdout).toContain('"receiveCount":1');
    expect(first.stdout).not.toContain(password);

    fake.calls.length = 0;
    const second = await invokeBundle(bundle.entry, fake.url(), sqsEvent(created));
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(second.stdout).toContain('"reason":"already-welcomed"');
    // The welcomed tag answers: no CreateLoginProfile, no email.
    expect(fake.calls.map((c) => c.action)).toEqual(['GetUser', 'ListUserTags']);
  });
});

describe('the built bundle DMs a Slack person through the runtime’s fetch', () => {
  const slack = new FakeSlack();
  const fake = fakeAwsServer({ token: () => slack.token });
  beforeAll(async () => {
    await slack.start();
    await new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done));
  });
  afterAll(async () => {
    await slack.stop();
    await new Promise<void>((done) => fake.server.close(() => done()));
  });

  it('reads the token from SSM, finds the member by address, and the DM carries the password IAM got', async () => {
    const memberId = slack.member('bundled.user@example.com');
    const created = createUserEvent({ userName: 'bundled.user', userId: 'AIDABUNDLEDUSER' });
    const { result, stdout } = await invokeBundle(bundle.entry, fake.url(), sqsEvent(created), {
      AWS_ENDPOINT_URL_SSM: fake.url(),
      SLACK_BOT_TOKEN_PARAMETER: '/iam-onboarding/slack-bot-token',
      SLACK_API_URL: slack.url(),
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(fake.calls.map((c) => c.action)).toEqual([
      'GetUser',
      'ListUserTags',
      'GetSuppressedDestination',
      'GetAccountPasswordPolicy',
      'ListAccountAliases',
      // Before the password: the token, then the member (Slack's calls below).
      'GetParameter',
      'CreateLoginProfile',
      'TagUser',
    ]);
    expect(fake.calls[5].params.get('Name')).toBe('/iam-onboarding/slack-bot-token');
    expect(fake.calls[5].params.get('WithDecryption')).toBe('true');
    expect(slack.calls.map((c) => c.method)).toEqual([
      'users.lookupByEmail',
      'conversations.open',
      'chat.postMessage',
    ]);
    expect(slack.calls.every((c) => c.authorization === `Bearer ${slack.token}`)).toBe(true);
    const password = fake.calls[6].params.get('Password') ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(slack.dms).toHaveLength(1);
    expect(slack.dms[0].userId).toBe(memberId);
    expect(JSON.stringify(slack.dms[0].blocks)).toContain(JSON.stringify(password).slice(1, -1));
    expect(slack.dms[0].text).not.toContain(password);
    expect(stdout).toContain('"step":"send-slack"');
    expect(stdout).not.toContain(password);
    expect(stdout).not.toContain(slack.token);
  });
});
