import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ACCOUNT_ID, InputChecks } from './input-checks';
import { policyJson, type PolicyStatement } from './policy-document';
import { PIPELINE_REGION } from './region';
import { RemovedResources } from './terraform-blocks';

/**
 * What holds the audit logs: the bucket and the settings that protect it,
 * by construct id under the trail construct. This tool never deletes them
 * (the bucket has `prevent_destroy`); when the stack stops creating the
 * trail it forgets them instead (KeptTrailLogs).
 */
export const TRAIL_LOG_STORAGE = {
  bucket: 'aws_s3_bucket',
  'public-access-block': 'aws_s3_bucket_public_access_block',
  ownership: 'aws_s3_bucket_ownership_controls',
  encryption: 'aws_s3_bucket_server_side_encryption_configuration',
  versioning: 'aws_s3_bucket_versioning',
  policy: 'aws_s3_bucket_policy',
} as const;

type StorageId = keyof typeof TRAIL_LOG_STORAGE;
const storage = (part: StorageId): StorageId => part;

export interface CloudTrailTrailProps {
  readonly accountId: string;
  /** Trail name. @default "iam-onboarding" */
  readonly trailName?: string;
  /** Bucket for the log files. @default "iam-onboarding-trail-<accountId>" */
  readonly bucketName?: string;
  /**
   * Home region of the trail (IAM's events are recorded there,
   * docs/design.md, "IAM events arrive only in us-east-1"). @default "us-east-1"
   */
  readonly region?: string;
}

/**
 * A multi-region CloudTrail trail recording all management events, including
 * global-service (IAM) events: what EventBridge needs to see CreateUser calls
 * (docs/design.md, "EventBridge sees IAM calls only through a CloudTrail trail"). Its bucket
 * admits no public access, is encrypted (SSE-S3),
 * owner-enforced, versioned, reachable only over TLS, and writable only by
 * CloudTrail on behalf of this trail (`aws:SourceArn`) under this account's prefix.
 */
export class CloudTrailTrail extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketPolicy: S3BucketPolicy;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly trail: Cloudtrail;
  readonly trailName: string;
  readonly bucketName: string;
  /** The trail's ARN as a literal (the bucket policy needs it before the trail exists). */
  readonly trailArn: string;
  readonly bucketStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: CloudTrailTrailProps) {
    super(scope, id);
    const trailName = props.trailName ?? 'iam-onboarding';
    const bucketName = props.bucketName ?? `iam-onboarding-trail-${props.accountId}`;
    const region = props.region ?? PIPELINE_REGION;
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .matches(
        'trailName',
        trailName,
        /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/,
        'is not a valid trail name',
      )
      .matches(
        'bucketName',
        bucketName,
        /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
        'is not a valid S3 bucket name (3-63 lower-case letters, digits, hyphens; no dots here)',
      )
      .throwIfAny(this);
    this.trailName = trailName;
    this.bucketName = bucketName;
    this.trailArn = `arn:aws:cloudtrail:${region}:${props.accountId}:trail/${trailName}`;

    this.bucket = new S3Bucket(this, storage('bucket'), {
      bucket: bucketName,
      // The audit logs are never deleted by this tool: a plan that would
      // destroy (or replace) the bucket fails before anything happens. It is
      // versioned and not emptied, so S3 would refuse anyway (BucketNotEmpty),
      // but only after the trail and the bucket's protections were gone.
      lifecycle: { preventDestroy: true },
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, storage('public-access-block'), {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, storage('ownership'), {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, storage('encryption'), {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketVersioningA(this, storage('versioning'), {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });

    const sourceIsThisTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };
    this.bucketStatements = [
      {
        Sid: 'CloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: this.bucket.arn,
        Condition: sourceIsThisTrail,
      },
      {
        Sid: 'CloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${this.bucket.arn}/AWSLogs/${props.accountId}/*`,
        Condition: {
          StringEquals: {
            'aws:SourceArn': this.trailArn,
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ];
    this.bucketPolicy = new S3BucketPolicy(this, storage('policy'), {
      bucket: this.bucket.id,
      policy: policyJson(this.bucketStatements),
      // A bucket policy is refused while public access blocking is being set up.
      dependsOn: [this.publicAccessBlock],
    });

    this.trail = new Cloudtrail(this, 'trail', {
      name: trailName,
      s3BucketName: this.bucket.id,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogging: true,
      enableLogFileValidation: true,
      eventSelector: [{ readWriteType: 'All', includeManagementEvents: true }],
      // CloudTrail checks the bucket policy when the trail is created.
      dependsOn: [this.bucketPolicy, this.encryption],
    });
  }
}

/**
 * Stands where a CloudTrailTrail stood (same construct id, same scope) when
 * the stack no longer creates the trail: `removed` blocks for the log bucket
 * and its protections, with `destroy = false`, so Terraform forgets them and
 * the bucket stays in the account with every log file, still private,
 * encrypted and versioned. The trail itself is destroyed as usual. With a
 * state that never held them (a stack that never created the trail) the
 * blocks do nothing.
 */
export class KeptTrailLogs extends Construct {
  /** The addresses forgotten, e.g. `aws_s3_bucket.pipeline_trail_bucket_B8C0107B`. */
  readonly addresses: readonly string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    // Placeholders at the paths the trail's resources had: cdktf names a
    // resource from its construct path, so these give the same addresses.
    this.addresses = Object.entries(TRAIL_LOG_STORAGE).map(
      ([part, type]) => `${type}.${stack.getLogicalId(new Construct(this, part).node)}`,
    );
    new RemovedResources(this, 'removed', { from: this.addresses });
  }
}
