/** Remote state: S3 with a lock when the environment names a bucket, local otherwise. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { TerraformStack, Testing } from 'cdktf';
import {
  BackendConfigError,
  configureBackend,
  DEFAULT_STATE_KEY,
  remoteStateFromEnv,
} from '../../stacks/backend';
import { BuildEnvironmentError, isInputError } from '../../inputs/errors';

function synth(env: NodeJS.ProcessEnv) {
  const stack = new TerraformStack(Testing.app(), 'iam-onboarding');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new IamUser(stack, 'u', { name: 'alice', path: '/iam-onboarding/' });
  const chosen = configureBackend(stack, env);
  const json = Testing.synth(stack);
  return { chosen, json, config: JSON.parse(json) as { terraform?: { backend?: unknown } } };
}

describe('configureBackend', () => {
  it('keeps the local default without TF_STATE_BUCKET', () => {
    const { chosen, config } = synth({});
    expect(chosen).toBe('local');
    expect(JSON.stringify(config.terraform?.backend ?? {})).not.toContain('s3');
  });

  it('uses S3 with native locking and encryption when the bucket is set', () => {
    const { chosen, config } = synth({ TF_STATE_BUCKET: 'example-tf-state' });
    expect(chosen).toBe('s3');
    expect(config.terraform?.backend).toEqual({
      s3: {
        bucket: 'example-tf-state',
        key: DEFAULT_STATE_KEY,
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it('takes key, region and a DynamoDB lock table from the environment', () => {
    const { config } = synth({
      TF_STATE_BUCKET: 'example-tf-state',
      TF_STATE_KEY: 'prod/iam.tfstate',
      TF_STATE_REGION: 'eu-west-1',
      TF_STATE_LOCK_TABLE: 'tf-locks',
    });
    expect(config.terraform?.backend).toEqual({
      s3: {
        bucket: 'example-tf-state',
        key: 'prod/iam.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        dynamodb_table: 'tf-locks',
      },
    });
  });

  it.each([
    [{ TF_STATE_KEY: 'x/y.tfstate' }, /TF_STATE_KEY set without TF_STATE_BUCKET/],
    [{ TF_STATE_BUCKET: 'Bad_Bucket' }, /not a valid S3 bucket name/],
    [{ TF_STATE_BUCKET: 'ok-bucket', TF_STATE_REGION: 'useast1' }, /not an AWS region/],
    [{ TF_STATE_BUCKET: 'ok-bucket', TF_STATE_KEY: 'dir/' }, /must be an object key/],
    [{ TF_STATE_BUCKET: 'ok-bucket', TF_STATE_KEY: '/abs' }, /must be an object key/],
  ])('refuses a half or malformed configuration %j', (env, message) => {
    expect(() => remoteStateFromEnv(env)).toThrow(BackendConfigError);
    expect(() => remoteStateFromEnv(env)).toThrow(message);
  });

  it("is the build's environment error: reported to people, not thrown as a bug", () => {
    let error: unknown;
    try {
      remoteStateFromEnv({ TF_STATE_KEY: 'x/y.tfstate' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildEnvironmentError);
    expect(isInputError(error)).toBe(true);
  });

  it('treats empty variables (unset repository variables) as unset', () => {
    expect(
      remoteStateFromEnv({ TF_STATE_BUCKET: '', TF_STATE_KEY: '', TF_STATE_REGION: ' ' }),
    ).toBe(undefined);
  });
});
