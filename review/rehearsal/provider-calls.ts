/**
 * The IAM actions the hashicorp/aws provider (5.100.0) calls for each
 * resource type this stack synthesizes, by phase. Plain data: the check in
 * `provider-coverage.ts` turns each entry into requests on concrete ARNs.
 *
 * An entry is `service:Action`, optionally `@target` when the request is
 * authorized on another resource than the one being managed (`@key`: the KMS
 * key the resource names; `@role`: the role a function is given; `@group`:
 * the group(s) of a membership or of a user; `@mfa`: a user's virtual MFA
 * device; `@change`: the Route 53 change; `@alias`: the alias itself, next to
 * `@key`). An action the Service Authorization Reference gives no resource
 * type is evaluated on `*`.
 *
 * - `create` lists the calls of the create itself and its waiters; the read
 *   the provider does right after is the `read` list (checked with it).
 * - `update` lists the calls that change what this stack sets.
 * - `tags`: the calls made only when the resource has `tags`: the first (the
 *   tag action) on create, all of them on a change of tags.
 * - `optIn`: calls made only when an attribute is set (`attr`), or unset
 *   (`unset`), on create and update.
 *
 * Sources: the operation names were checked with `strings` on
 * terraform-provider-aws_v5.100.0_x5; which resource calls which follows
 * internal/service/<svc>/<resource>.go of hashicorp/terraform-provider-aws.
 */
export type Phase = 'create' | 'read' | 'update' | 'delete';
export const PHASES: readonly Phase[] = ['create', 'read', 'update', 'delete'];

export interface OptInCalls {
  /** The attribute whose presence (or, with `unset`, absence) triggers the calls. */
  readonly attr: string;
  readonly unset?: boolean;
  readonly phases: readonly Phase[];
  readonly calls: readonly string[];
}

export interface ProviderCalls {
  readonly create: readonly string[];
  readonly read: readonly string[];
  readonly update: readonly string[];
  readonly delete: readonly string[];
  readonly tags?: readonly string[];
  readonly optIn?: readonly OptInCalls[];
}

/** The KMS calls SQS and SNS make with the caller's credentials for a customer managed key. */
const VIA_SERVICE_KEY = ['kms:GenerateDataKey@key', 'kms:Decrypt@key'];

const S3_BUCKET_READ = [
  's3:ListBucket', // HeadBucket
  's3:GetBucketPolicy',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketWebsite',
  's3:GetBucketVersioning',
  's3:GetAccelerateConfiguration',
  's3:GetBucketRequestPayment',
  's3:GetBucketLogging',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:GetEncryptionConfiguration',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketTagging',
];

export const PROVIDER_CALLS: Readonly<Record<string, ProviderCalls>> = {
  // internal/service/iam/user.go (force_destroy: deleteUserGroupMemberships, SSH keys, virtual and other MFA devices, login profile, access keys, signing certificates, service-specific credentials, inline and attached policies)
  aws_iam_user: {
    create: ['iam:CreateUser'],
    read: ['iam:GetUser'],
    update: ['iam:UpdateUser'],
    delete: [
      'iam:ListGroupsForUser',
      'iam:RemoveUserFromGroup@group',
      'iam:ListSSHPublicKeys',
      'iam:DeleteSSHPublicKey',
      'iam:ListVirtualMFADevices',
      'iam:DeleteVirtualMFADevice@mfa',
      'iam:ListMFADevices',
      'iam:DeactivateMFADevice',
      'iam:DeleteLoginProfile',
      'iam:ListAccessKeys',
      'iam:DeleteAccessKey',
      'iam:ListSigningCertificates',
      'iam:DeleteSigningCertificate',
      'iam:ListServiceSpecificCredentials',
      'iam:DeleteServiceSpecificCredential',
      'iam:ListUserPolicies',
      'iam:DeleteUserPolicy',
      'iam:ListAttachedUserPolicies',
      'iam:DetachUserPolicy',
      'iam:DeleteUser',
    ],
    tags: ['iam:TagUser', 'iam:UntagUser'],
  },
  // internal/service/iam/user_group_membership.go
  aws_iam_user_group_membership: {
    create: ['iam:AddUserToGroup@group'],
    read: ['iam:ListGroupsForUser'],
    update: ['iam:AddUserToGroup@group', 'iam:RemoveUserFromGroup@group'],
    delete: ['iam:RemoveUserFromGroup@group'],
  },
  // internal/service/iam/user_policy_attachment.go (every argument forces a new attachment): AWSDenyAll on a suspended person
  aws_iam_user_policy_attachment: {
    create: ['iam:AttachUserPolicy'],
    read: ['iam:ListAttachedUserPolicies'],
    update: [],
    delete: ['iam:DetachUserPolicy'],
  },
  // internal/service/iam/group.go
  aws_iam_group: {
    create: ['iam:CreateGroup'],
    read: ['iam:GetGroup'],
    update: ['iam:UpdateGroup'],
    delete: ['iam:DeleteGroup'],
  },
  // internal/service/iam/group_policy.go
  aws_iam_group_policy: {
    create: ['iam:PutGroupPolicy'],
    read: ['iam:GetGroupPolicy'],
    update: ['iam:PutGroupPolicy'],
    delete: ['iam:DeleteGroupPolicy'],
  },
  // internal/service/iam/group_policy_attachment.go (every argument forces a new attachment)
  aws_iam_group_policy_attachment: {
    create: ['iam:AttachGroupPolicy'],
    read: ['iam:ListAttachedGroupPolicies'],
    update: [],
    delete: ['iam:DetachGroupPolicy'],
  },
  // internal/service/iam/group_policy_attachments_exclusive.go (delete only forgets it)
  aws_iam_group_policy_attachments_exclusive: {
    create: ['iam:ListAttachedGroupPolicies', 'iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
    read: ['iam:ListAttachedGroupPolicies'],
    update: ['iam:ListAttachedGroupPolicies', 'iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
    delete: [],
  },
  // internal/service/iam/role.go (description: UpdateRoleDescription; inline policies read back; delete: instance profiles, inline policies)
  aws_iam_role: {
    create: ['iam:CreateRole'],
    read: [
      'iam:GetRole',
      'iam:ListRolePolicies',
      'iam:GetRolePolicy',
      'iam:ListAttachedRolePolicies',
    ],
    update: ['iam:UpdateAssumeRolePolicy', 'iam:UpdateRoleDescription', 'iam:UpdateRole'],
    delete: [
      'iam:ListInstanceProfilesForRole',
      'iam:ListRolePolicies',
      'iam:DeleteRolePolicy',
      'iam:DeleteRole',
    ],
    tags: ['iam:TagRole', 'iam:UntagRole'],
  },
  // internal/service/iam/role_policy.go
  aws_iam_role_policy: {
    create: ['iam:PutRolePolicy'],
    read: ['iam:GetRolePolicy'],
    update: ['iam:PutRolePolicy'],
    delete: ['iam:DeleteRolePolicy'],
  },
  // internal/service/iam/account_password_policy.go
  aws_iam_account_password_policy: {
    create: ['iam:UpdateAccountPasswordPolicy'],
    read: ['iam:GetAccountPasswordPolicy'],
    update: ['iam:UpdateAccountPasswordPolicy'],
    delete: ['iam:DeleteAccountPasswordPolicy'],
  },
  // internal/service/cloudtrail/trail.go (enable_logging: StartLogging; event_selector: PutEventSelectors)
  aws_cloudtrail: {
    create: ['cloudtrail:CreateTrail', 'cloudtrail:StartLogging', 'cloudtrail:PutEventSelectors'],
    read: [
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetInsightSelectors',
      'cloudtrail:ListTags',
    ],
    update: [
      'cloudtrail:UpdateTrail',
      'cloudtrail:StartLogging',
      'cloudtrail:StopLogging',
      'cloudtrail:PutEventSelectors',
    ],
    delete: ['cloudtrail:DeleteTrail'],
    tags: ['cloudtrail:AddTags', 'cloudtrail:RemoveTags'],
  },
  // internal/service/s3/bucket.go (create waits on HeadBucket; read gets every bucket setting)
  aws_s3_bucket: {
    create: ['s3:CreateBucket', 's3:ListBucket'],
    read: S3_BUCKET_READ,
    update: [],
    delete: ['s3:DeleteBucket'],
    tags: ['s3:PutBucketTagging'],
  },
  // internal/service/s3/bucket_ownership_controls.go
  aws_s3_bucket_ownership_controls: {
    create: ['s3:PutBucketOwnershipControls'],
    read: ['s3:GetBucketOwnershipControls'],
    update: ['s3:PutBucketOwnershipControls'],
    delete: ['s3:PutBucketOwnershipControls'],
  },
  // internal/service/s3/bucket_public_access_block.go
  aws_s3_bucket_public_access_block: {
    create: ['s3:PutBucketPublicAccessBlock'],
    read: ['s3:GetBucketPublicAccessBlock'],
    update: ['s3:PutBucketPublicAccessBlock'],
    delete: ['s3:PutBucketPublicAccessBlock'],
  },
  // internal/service/s3/bucket_server_side_encryption_configuration.go
  aws_s3_bucket_server_side_encryption_configuration: {
    create: ['s3:PutEncryptionConfiguration'],
    read: ['s3:GetEncryptionConfiguration'],
    update: ['s3:PutEncryptionConfiguration'],
    delete: ['s3:PutEncryptionConfiguration'],
  },
  // internal/service/s3/bucket_versioning.go (delete suspends versioning)
  aws_s3_bucket_versioning: {
    create: ['s3:PutBucketVersioning'],
    read: ['s3:GetBucketVersioning'],
    update: ['s3:PutBucketVersioning'],
    delete: ['s3:PutBucketVersioning'],
  },
  // internal/service/s3/bucket_policy.go
  aws_s3_bucket_policy: {
    create: ['s3:PutBucketPolicy'],
    read: ['s3:GetBucketPolicy'],
    update: ['s3:PutBucketPolicy'],
    delete: ['s3:DeleteBucketPolicy'],
  },
  // internal/service/sqs/queue.go (waits on GetQueueAttributes; tags read by ListQueueTags)
  aws_sqs_queue: {
    create: ['sqs:CreateQueue', 'sqs:GetQueueAttributes'],
    read: ['sqs:GetQueueAttributes', 'sqs:ListQueueTags'],
    update: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
    delete: ['sqs:DeleteQueue', 'sqs:GetQueueAttributes'],
    tags: ['sqs:TagQueue', 'sqs:UntagQueue'],
    optIn: [{ attr: 'kms_master_key_id', phases: ['create', 'update'], calls: VIA_SERVICE_KEY }],
  },
  // internal/service/sqs/queue_policy.go (delete writes an empty policy)
  aws_sqs_queue_policy: {
    create: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
    read: ['sqs:GetQueueAttributes'],
    update: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
    delete: ['sqs:SetQueueAttributes'],
  },
  // internal/service/sns/topic.go (attributes other than FIFO ones are put after CreateTopic; delete waits)
  aws_sns_topic: {
    create: ['sns:CreateTopic', 'sns:SetTopicAttributes'],
    read: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
    update: ['sns:SetTopicAttributes'],
    delete: ['sns:DeleteTopic', 'sns:GetTopicAttributes'],
    tags: ['sns:TagResource', 'sns:UntagResource'],
    optIn: [{ attr: 'kms_master_key_id', phases: ['create', 'update'], calls: VIA_SERVICE_KEY }],
  },
  // internal/service/sns/topic_policy.go (delete restores the default policy)
  aws_sns_topic_policy: {
    create: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
    read: ['sns:GetTopicAttributes'],
    update: ['sns:SetTopicAttributes'],
    delete: ['sns:SetTopicAttributes'],
  },
  // internal/service/sns/topic_subscription.go; since hashicorp/terraform-provider-aws
  // PR #42093 the read lists the topic's subscriptions first (one deleted out of
  // band), on create and every refresh: recorded against the emulator (issue 21).
  aws_sns_topic_subscription: {
    create: ['sns:Subscribe'],
    read: ['sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes'],
    update: ['sns:SetSubscriptionAttributes'],
    delete: ['sns:Unsubscribe'],
  },
  // internal/service/kms/key.go (policy and tags go with CreateKey; waits on policy, rotation, tags; delete waits on DescribeKey)
  aws_kms_key: {
    create: ['kms:CreateKey', 'kms:EnableKeyRotation'],
    read: [
      'kms:DescribeKey',
      'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus',
      'kms:ListResourceTags',
    ],
    update: [
      'kms:UpdateKeyDescription',
      'kms:PutKeyPolicy',
      'kms:EnableKeyRotation',
      'kms:DisableKeyRotation',
    ],
    delete: ['kms:ScheduleKeyDeletion', 'kms:DescribeKey'],
    tags: ['kms:TagResource', 'kms:UntagResource'],
  },
  // internal/service/kms/alias.go (read lists aliases; each write is authorized on the alias and the key)
  aws_kms_alias: {
    create: ['kms:CreateAlias@alias', 'kms:CreateAlias@key'],
    read: ['kms:ListAliases'],
    update: ['kms:UpdateAlias@alias', 'kms:UpdateAlias@key'],
    delete: ['kms:DeleteAlias@alias', 'kms:DeleteAlias@key'],
  },
  // internal/service/lambda/function.go (waits on GetFunction; reserved concurrency by Put/DeleteFunctionConcurrency)
  aws_lambda_function: {
    create: ['lambda:CreateFunction', 'iam:PassRole@role', 'lambda:GetFunction'],
    read: [
      'lambda:GetFunction',
      'lambda:ListVersionsByFunction',
      'lambda:GetFunctionCodeSigningConfig',
    ],
    update: [
      'lambda:UpdateFunctionConfiguration',
      'lambda:UpdateFunctionCode',
      'iam:PassRole@role',
      'lambda:GetFunction',
    ],
    delete: ['lambda:DeleteFunction'],
    tags: ['lambda:TagResource', 'lambda:UntagResource'],
    optIn: [
      {
        attr: 'reserved_concurrent_executions',
        phases: ['create', 'update'],
        calls: ['lambda:PutFunctionConcurrency'],
      },
      {
        attr: 'reserved_concurrent_executions',
        unset: true,
        phases: ['update'],
        calls: ['lambda:DeleteFunctionConcurrency'],
      },
    ],
  },
  // internal/service/lambda/event_source_mapping.go (transparent tagging: read lists the mapping's tags since 5.7x)
  aws_lambda_event_source_mapping: {
    create: ['lambda:CreateEventSourceMapping', 'lambda:GetEventSourceMapping'],
    read: ['lambda:GetEventSourceMapping', 'lambda:ListTags'],
    update: ['lambda:UpdateEventSourceMapping', 'lambda:GetEventSourceMapping'],
    delete: ['lambda:DeleteEventSourceMapping', 'lambda:GetEventSourceMapping'],
    tags: ['lambda:TagResource', 'lambda:UntagResource'],
  },
  // internal/service/logs/group.go (retention put after CreateLogGroup)
  aws_cloudwatch_log_group: {
    create: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
    read: ['logs:DescribeLogGroups', 'logs:ListTagsForResource'],
    update: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'],
    delete: ['logs:DeleteLogGroup'],
    tags: ['logs:TagResource', 'logs:UntagResource'],
  },
  // internal/service/logs/metric_filter.go
  aws_cloudwatch_log_metric_filter: {
    create: ['logs:PutMetricFilter'],
    read: ['logs:DescribeMetricFilters'],
    update: ['logs:PutMetricFilter'],
    delete: ['logs:DeleteMetricFilter'],
  },
  // internal/service/cloudwatch/metric_alarm.go
  aws_cloudwatch_metric_alarm: {
    create: ['cloudwatch:PutMetricAlarm'],
    read: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
    update: ['cloudwatch:PutMetricAlarm'],
    delete: ['cloudwatch:DeleteAlarms'],
    tags: ['cloudwatch:TagResource', 'cloudwatch:UntagResource'],
  },
  // internal/service/events/rule.go (state goes with PutRule)
  aws_cloudwatch_event_rule: {
    create: ['events:PutRule'],
    read: ['events:DescribeRule', 'events:ListTagsForResource'],
    update: ['events:PutRule'],
    delete: ['events:DeleteRule'],
    tags: ['events:TagResource', 'events:UntagResource'],
  },
  // internal/service/events/target.go
  aws_cloudwatch_event_target: {
    create: ['events:PutTargets'],
    read: ['events:ListTargetsByRule'],
    update: ['events:PutTargets'],
    delete: ['events:RemoveTargets'],
  },
  // internal/service/ses/domain_identity.go
  aws_ses_domain_identity: {
    create: ['ses:VerifyDomainIdentity'],
    read: ['ses:GetIdentityVerificationAttributes'],
    update: [],
    delete: ['ses:DeleteIdentity'],
  },
  // internal/service/ses/domain_dkim.go (delete only forgets it)
  aws_ses_domain_dkim: {
    create: ['ses:VerifyDomainDkim'],
    read: ['ses:GetIdentityDkimAttributes'],
    update: [],
    delete: [],
  },
  // internal/service/ses/domain_mail_from.go (delete clears the MAIL FROM domain)
  aws_ses_domain_mail_from: {
    create: ['ses:SetIdentityMailFromDomain'],
    read: ['ses:GetIdentityMailFromDomainAttributes'],
    update: ['ses:SetIdentityMailFromDomain'],
    delete: ['ses:SetIdentityMailFromDomain'],
  },
  // internal/service/ses/domain_identity_verification.go (create waits for verification; delete only forgets it)
  aws_ses_domain_identity_verification: {
    create: ['ses:GetIdentityVerificationAttributes'],
    read: ['ses:GetIdentityVerificationAttributes'],
    update: [],
    delete: [],
  },
  // internal/service/ses/configuration_set.go (the optional settings, none of
  // which the stack sets, have calls of their own)
  aws_ses_configuration_set: {
    create: ['ses:CreateConfigurationSet'],
    read: ['ses:DescribeConfigurationSet'],
    update: [],
    delete: ['ses:DeleteConfigurationSet'],
  },
  // internal/service/ses/event_destination.go (every argument forces a new destination)
  aws_ses_event_destination: {
    create: ['ses:CreateConfigurationSetEventDestination'],
    read: ['ses:DescribeConfigurationSet'],
    update: [],
    delete: ['ses:DeleteConfigurationSetEventDestination'],
  },
  // internal/service/route53/record.go (zone name from GetHostedZone; each change waited on with GetChange)
  aws_route53_record: {
    create: [
      'route53:GetHostedZone',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange@change',
    ],
    read: ['route53:ListResourceRecordSets'],
    update: [
      'route53:GetHostedZone',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange@change',
    ],
    delete: [
      'route53:ListResourceRecordSets',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange@change',
    ],
  },
  // internal/service/route53/zone_data_source.go (data source: read only)
  'data.aws_route53_zone': {
    create: [],
    read: ['route53:GetHostedZone', 'route53:ListTagsForResource'],
    update: [],
    delete: [],
  },
};
