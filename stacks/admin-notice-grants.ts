/**
 * What the welcome function needs for admin notices, SES feedback and Slack
 * direct messages (the bot token's parameter, the default channel), as
 * role statements and environment variables (request-function.ts adds them):
 * each grant names exactly one resource, and the KMS grants say through
 * which service and for which resource the key may be used.
 */
import { DEFAULT_DELIVERY_CHANNEL, type DeliveryChannel, WELCOME_ENV } from '../shared/contract';
import { statementActions } from '../shared/function-calls';
import type { PolicyStatement } from './policy-document';

export interface AdminNoticeGrantProps {
  readonly accountId: string;
  readonly region: string;
  /** The pipeline key (the admins' topic is encrypted with it). */
  readonly pipelineKeyArn: string;
  /** The bare From address: SendEmail with the configuration set is pinned to it too. */
  readonly fromAddress: string;
  /** @default no email notices */
  readonly adminTopicArn?: string;
  /** @default no Slack notices */
  readonly slackWebhookParameter?: { readonly name: string; readonly arn: string };
  /** @default emails are sent without a configuration set */
  readonly sesConfigurationSet?: { readonly name: string; readonly arn: string };
  /** The Slack bot token's SecureString (welcome DMs). @default no Slack DMs */
  readonly slackBotTokenParameter?: { readonly name: string; readonly arn: string };
  /** Everyone's channel (settings `delivery.channel`). @default "email" (left unset) */
  readonly deliveryChannel?: DeliveryChannel;
}

/**
 * SSM decrypts for GetParameter WithDecryption. The aws/ssm key's own policy
 * already admits the account through SSM; this states the intent, and
 * carries a customer-managed key whose policy delegates to IAM. Any key
 * (their ids differ per account), but only through SSM in this region.
 */
function decryptThroughSsm(sid: string, p: AdminNoticeGrantProps): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow' as const,
    Action: 'kms:Decrypt',
    Resource: `arn:aws:kms:${p.region}:${p.accountId}:key/*`,
    Condition: { StringEquals: { 'kms:ViaService': `ssm.${p.region}.amazonaws.com` } },
  };
}

export function adminNoticeStatements(p: AdminNoticeGrantProps): PolicyStatement[] {
  return [
    ...(p.adminTopicArn
      ? [
          {
            Sid: 'PublishAdminNotices',
            Effect: 'Allow' as const,
            Action: statementActions('admin-topic'),
            Resource: p.adminTopicArn,
          },
          {
            // SNS asks KMS for a data key with the topic in the encryption
            // context: the key serves the role for this topic only.
            Sid: 'UseAdminTopicKey',
            Effect: 'Allow' as const,
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: p.pipelineKeyArn,
            Condition: {
              StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': p.adminTopicArn },
            },
          },
        ]
      : []),
    ...(p.slackWebhookParameter
      ? [
          {
            Sid: 'ReadSlackWebhookParameter',
            Effect: 'Allow' as const,
            Action: statementActions('slack-parameter'),
            Resource: p.slackWebhookParameter.arn,
          },
          decryptThroughSsm('DecryptSlackWebhookThroughSsm', p),
        ]
      : []),
    ...(p.slackBotTokenParameter
      ? [
          {
            Sid: 'ReadSlackBotTokenParameter',
            Effect: 'Allow' as const,
            Action: statementActions('slack-parameter'),
            Resource: p.slackBotTokenParameter.arn,
          },
          // The webhook's statement already lets SSM decrypt for this role.
          ...(p.slackWebhookParameter
            ? []
            : [decryptThroughSsm('DecryptSlackBotTokenThroughSsm', p)]),
        ]
      : []),
    ...(p.sesConfigurationSet
      ? [
          {
            // SendEmail with a configuration set is also authorized against
            // the set: without this every send fails with AccessDenied.
            Sid: 'SendWithTheConfigurationSetOnly',
            Effect: 'Allow' as const,
            Action: statementActions('sender-identity'),
            Resource: p.sesConfigurationSet.arn,
            Condition: { StringEquals: { 'ses:FromAddress': p.fromAddress } },
          },
        ]
      : []),
  ];
}

export function adminNoticeEnvironment(p: AdminNoticeGrantProps): Record<string, string> {
  return {
    ...(p.adminTopicArn ? { [WELCOME_ENV.adminTopicArn]: p.adminTopicArn } : {}),
    // The parameter's NAME: the URL itself never reaches the environment.
    ...(p.slackWebhookParameter
      ? { [WELCOME_ENV.slackWebhookParameter]: p.slackWebhookParameter.name }
      : {}),
    ...(p.sesConfigurationSet
      ? { [WELCOME_ENV.sesConfigurationSet]: p.sesConfigurationSet.name }
      : {}),
    // The token's parameter NAME only, like the webhook's.
    ...(p.slackBotTokenParameter
      ? { [WELCOME_ENV.slackBotTokenParameter]: p.slackBotTokenParameter.name }
      : {}),
    // Unset means email: a stack that never heard of Slack keeps its environment.
    ...(p.deliveryChannel && p.deliveryChannel !== DEFAULT_DELIVERY_CHANNEL
      ? { [WELCOME_ENV.deliveryChannel]: p.deliveryChannel }
      : {}),
  };
}
