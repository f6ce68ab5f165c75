/**
 * Remote state with the real Terraform: an offline plan of a stack whose
 * backend is S3 still works, because the offline override makes it local.
 * (The backend choice itself is tested without Terraform in backend.test.ts.)
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { TerraformStack, Testing } from 'cdktf';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureBackend } from '../../stacks/backend';
import { planStack } from '../../review/terraform-plan';

function synth(env: NodeJS.ProcessEnv): string {
  const stack = new TerraformStack(Testing.app(), 'iam-onboarding');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new IamUser(stack, 'u', { name: 'alice', path: '/iam-onboarding/' });
  configureBackend(stack, env);
  return Testing.synth(stack);
}

describe('configureBackend with terraform', () => {
  it('an offline plan still works with the S3 backend configured: the override makes it local', () => {
    const json = synth({ TF_STATE_BUCKET: 'example-tf-state' });
    const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-backend-'));
    const stackDir = join(root, 'stacks', 'iam-onboarding');
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, 'cdk.tf.json'), json);
    const { offline, plan } = planStack({ stackDir, offline: true });
    expect(offline).toBe(true);
    expect(plan.resource_changes?.map((rc) => rc.address)).toEqual(['aws_iam_user.u']);
  });
});
