/**
 * SDK clients, created once per Lambda execution environment (module scope)
 * so that warm invocations reuse their connections and resolved config.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

// Without limits a stuck connection would hold the invocation until the Lambda timeout.
const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };

/** Reads and idempotent writes: the SDK's standard retries are safe here. */
export const iam = new IAMClient({ requestHandler });

/**
 * CreateLoginProfile only. No SDK retries: if a first try went through and the
 * SDK retried, IAM would answer "already exists" and the run would wrongly
 * conclude that another run owns the profile and its email.
 */
export const iamCreate = new IAMClient({ requestHandler, maxAttempts: 1 });

/**
 * No SDK retries: throttling is retried by the handler with its own bounded
 * back-off, and any other failure rolls the profile back and lets Lambda retry.
 */
export const ses = new SESClient({ requestHandler, maxAttempts: 1 });

/**
 * Reading SES's account-level suppression list (aws/suppression.ts): a read,
 * so the SDK's standard retries (throttling, 5xx, timeouts) are safe here.
 */
export const sesv2 = new SESv2Client({ requestHandler });

/** Queuing welcomes (the reconcile run): SendMessage is safe to retry, a duplicate welcome sends nothing twice. */
export const sqs = new SQSClient({ requestHandler });

/** Admin notices by email: publishing to the admins' topic (safe to retry: a duplicate is one more email). */
export const sns = new SNSClient({ requestHandler });

/** Reading the Slack webhook's SecureString parameter. */
export const ssm = new SSMClient({ requestHandler });
