/**
 * The deploy pre-flight's failures, injected into the real SDK v3 clients
 * with aws-sdk-client-mock: each becomes one line that says what is wrong
 * and how to fix it, and a check that depends on a failed one is not run.
 */
import { GetCallerIdentityCommand, ExpiredTokenException, STSClient } from '@aws-sdk/client-sts';
import { HeadBucketCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  deployEnv,
  formatPreflight,
  hasProblems,
  runPreflight,
  type CheckResult,
  type PreflightInputs,
} from '../../operations/deploy-preflight';
import type { RemoteState } from '../../stacks/backend';

const ACCOUNT = '123456789012';
const REMOTE: RemoteState = {
  bucket: 'iam-onboarding-tfstate-123456789012',
  key: 'iam-onboarding/terraform.tfstate',
  region: 'us-east-1',
};

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);

beforeEach(() => {
  sts.reset();
  s3.reset();
  sts.on(GetCallerIdentityCommand).resolves({
    Account: ACCOUNT,
    Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/iam-onboarding-deploy/ci`,
  });
  s3.on(HeadBucketCommand).resolves({});
});

function inputs(over: Partial<PreflightInputs> = {}): PreflightInputs {
  return {
    accountId: ACCOUNT,
    remoteState: REMOTE,
    settingsFile: 'config/settings.json',
    sts: new STSClient({ region: 'us-east-1' }),
    s3: (region) => new S3Client({ region }),
    mirror: '/opt/tf-plugins',
    registryReachable: () => Promise.resolve(false),
    ...over,
  };
}

const problems = (r: readonly CheckResult[]) =>
  r.flatMap((c) => ('problem' in c ? [`${c.check}: ${c.problem}`] : []));

describe('deploy pre-flight', () => {
  it('passes when every check answers, asking for the bucket in its own region', async () => {
    const results = await runPreflight(inputs({ remoteState: { ...REMOTE, region: 'eu-west-1' } }));
    expect(problems(results)).toEqual([]);
    expect(hasProblems(results)).toBe(false);
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: REMOTE.bucket });
    const client = s3.commandCalls(HeadBucketCommand)[0].thisValue as S3Client;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(formatPreflight(results).split('\n')).toEqual([
      `ok    credentials  arn:aws:sts::${ACCOUNT}:assumed-role/iam-onboarding-deploy/ci`,
      `ok    account      ${ACCOUNT}`,
      `ok    state        s3://${REMOTE.bucket}/${REMOTE.key} (eu-west-1)`,
      'ok    provider     local mirror /opt/tf-plugins',
    ]);
  });

  it('no credentials: one line, and neither the account nor the bucket is asked', async () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    sts.on(GetCallerIdentityCommand).rejects(err);
    const results = await runPreflight(inputs());
    expect(problems(results)).toEqual([
      expect.stringMatching(/^credentials: no AWS credentials found: sign in .*then run again$/),
    ]);
    expect(results.map((r) => r.check)).toEqual(['credentials', 'provider']);
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  it('expired credentials say so and how to refresh them', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(new ExpiredTokenException({ message: 'expired', $metadata: {} }));
    expect(problems(await runPreflight(inputs()))).toEqual([
      expect.stringMatching(/^credentials: the AWS credentials have expired .*aws sso login/),
    ]);
  });

  it("another account's credentials: both accounts named, and the fix", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:x' });
    expect(problems(await runPreflight(inputs()))).toEqual([
      `account: the credentials are for account 210987654321, the settings' accountId is ${ACCOUNT}: use credentials for ${ACCOUNT}, or fix accountId in config/settings.json`,
    ]);
  });

  it('a missing state bucket (HeadBucket 404)', async () => {
    s3.on(HeadBucketCommand).rejects(
      new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    expect(problems(await runPreflight(inputs()))).toEqual([
      `state: state bucket ${REMOTE.bucket} (us-east-1) does not exist: create it (docs/review-and-delivery.md, step 2) or fix TF_STATE_BUCKET`,
    ]);
  });

  it('a state bucket these credentials may not read (HeadBucket 403, no error code, as S3 sends it)', async () => {
    s3.on(HeadBucketCommand).rejects(
      new S3ServiceException({
        name: 'Unknown',
        $fault: 'client',
        message: 'UnknownError',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    expect(problems(await runPreflight(inputs()))).toEqual([
      expect.stringMatching(
        /^state: state bucket \S+ \(us-east-1\) refuses these credentials .*s3:ListBucket/,
      ),
    ]);
  });

  it('a state bucket in another region (301)', async () => {
    s3.on(HeadBucketCommand).rejects(
      new S3ServiceException({
        name: 'PermanentRedirect',
        $fault: 'client',
        message: 'moved',
        $metadata: { httpStatusCode: 301 },
      }),
    );
    expect(problems(await runPreflight(inputs()))).toEqual([
      expect.stringContaining('is in another region: set TF_STATE_REGION'),
    ]);
  });

  it('local state is allowed and said plainly; no bucket is asked for', async () => {
    const results = await runPreflight(inputs({ remoteState: undefined }));
    expect(problems(results)).toEqual([]);
    expect(formatPreflight(results)).toContain('state        local file (TF_STATE_BUCKET not set)');
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  it('the provider: a mirror wins without asking the registry; without one the registry must answer', async () => {
    let asked = 0;
    const registry = (answer: boolean) => () => {
      asked += 1;
      return Promise.resolve(answer);
    };
    expect(problems(await runPreflight(inputs({ registryReachable: registry(false) })))).toEqual(
      [],
    );
    expect(asked).toBe(0);
    expect(
      problems(
        await runPreflight(inputs({ mirror: undefined, registryReachable: registry(true) })),
      ),
    ).toEqual([]);
    expect(
      problems(
        await runPreflight(inputs({ mirror: undefined, registryReachable: registry(false) })),
      ),
    ).toEqual([expect.stringMatching(/^provider: no local provider mirror .*TF_PLUGIN_MIRROR/)]);
    expect(asked).toBe(2);
  });

  it('every failure at once, one line each', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:x' });
    s3.on(HeadBucketCommand).rejects(
      new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    const text = formatPreflight(await runPreflight(inputs({ mirror: undefined })));
    expect(text.split('\n').filter((l) => l.startsWith('FAIL'))).toHaveLength(3);
  });
});

describe('the environment cdktf deploy runs in', () => {
  it('off a terminal: CI=true (no spinner); on one: untouched; the mirror config when given', () => {
    const base = { PATH: '/bin', TF_CLI_CONFIG_FILE: '/root/.terraformrc' };
    expect(deployEnv(base, { isTTY: false, cliConfigFile: '/x/terraform.rc' })).toMatchObject({
      CI: 'true',
      TF_CLI_CONFIG_FILE: '/x/terraform.rc',
    });
    const tty = deployEnv(base, { isTTY: true });
    expect(tty.CI).toBeUndefined();
    expect(tty.TF_CLI_CONFIG_FILE).toBe('/root/.terraformrc');
  });
});
