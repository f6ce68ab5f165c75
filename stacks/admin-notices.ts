import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { ssmParameterArn, ssmParameterNameProblem } from '../shared/ssm-parameter';
import { EncryptedTopic } from './encrypted-topic';
import { ACCOUNT_ID, InputChecks } from './input-checks';
import { PIPELINE_REGION } from './region';

export interface AdminNoticesProps {
  readonly accountId: string;
  /** Name of the admins' topic (created only when `adminEmails` lists someone). */
  readonly topicName: string;
  /** The pipeline key: the topic is encrypted with it. */
  readonly kmsKeyArn: string;
  /** The welcome function's role: the only publisher. */
  readonly publisherRoleArn: string;
  /**
   * Subscribed by email; each must confirm. Empty: no topic at all.
   * @default none
   */
  readonly adminEmails?: readonly string[];
  /**
   * NAME of the SecureString parameter holding the Slack webhook URL. The
   * stack never creates it: the provider would read the value back into the
   * state. An output says how to put it.
   * @default no Slack notices
   */
  readonly slackWebhookParameter?: string;
  /**
   * NAME of the SecureString holding the Slack bot token (welcome DMs),
   * never created here for the same reason. An output says how to put it.
   * @default no Slack DMs
   */
  readonly slackBotTokenParameter?: string;
  /** @default "us-east-1" */
  readonly region?: string;
}

/** The command an admin runs to store the webhook URL (or the bot token), reading it from standard input. */
export function putWebhookCommand(parameterName: string, region: string = PIPELINE_REGION): string {
  return (
    `aws ssm put-parameter --region ${region} --name ${parameterName} ` +
    '--type SecureString --overwrite --value file:///dev/stdin'
  );
}

/**
 * Where admin notices go: the admins' encrypted topic with one email
 * subscription per address (only the welcome function may publish), and the
 * name of the Slack webhook's parameter. The function's grants for both are
 * in admin-notice-grants.ts.
 */
export class AdminNotices extends Construct {
  /** Absent when no admin address is configured. */
  readonly topic?: EncryptedTopic;
  /** The topic's ARN as a literal, known before the topic exists (for the role's policy). */
  readonly topicArn?: string;
  readonly slackWebhookParameter?: string;
  readonly slackWebhookParameterArn?: string;

  constructor(scope: Construct, id: string, props: AdminNoticesProps) {
    super(scope, id);
    const region = props.region ?? PIPELINE_REGION;
    const emails = props.adminEmails ?? [];
    const parameter = props.slackWebhookParameter;
    const problem = parameter === undefined ? undefined : ssmParameterNameProblem(parameter);
    const tokenParameter = props.slackBotTokenParameter;
    const tokenProblem =
      tokenParameter === undefined ? undefined : ssmParameterNameProblem(tokenParameter);
    new InputChecks()
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      // The value is not repeated: it may be the webhook URL itself.
      .check(problem === undefined, `slackWebhookParameter ${problem ?? ''}`)
      // Nor this one: it may be the token.
      .check(tokenProblem === undefined, `slackBotTokenParameter ${tokenProblem ?? ''}`)
      .throwIfAny(this);

    if (emails.length > 0) {
      this.topicArn = `arn:aws:sns:${region}:${props.accountId}:${props.topicName}`;
      this.topic = new EncryptedTopic(this, 'topic', {
        name: props.topicName,
        kmsKeyArn: props.kmsKeyArn,
        publishers: [],
        publisherRoleArns: [props.publisherRoleArn],
        emailSubscribers: emails,
      });
      new TerraformOutput(this, 'topic-arn', {
        description: 'Admin notices by email (each address must confirm its subscription)',
        value: this.topic.topicArn,
      }).overrideLogicalId('admin_notices_topic_arn');
    }
    if (parameter !== undefined) {
      this.slackWebhookParameter = parameter;
      this.slackWebhookParameterArn = ssmParameterArn(region, props.accountId, parameter);
      new TerraformOutput(this, 'put-webhook', {
        description:
          'Store the Slack incoming-webhook URL (never in Terraform): pipe it in, e.g. ' +
          `read -rs URL && printf '%s' "$URL" | <this command>`,
        value: putWebhookCommand(parameter, region),
      }).overrideLogicalId('slack_webhook_put_command');
    }
    if (tokenParameter !== undefined) {
      new TerraformOutput(this, 'put-bot-token', {
        description:
          "Store the Slack app's bot token (xoxb-, never in Terraform): pipe it in, e.g. " +
          `read -rs TOKEN && printf '%s' "$TOKEN" | <this command>`,
        value: putWebhookCommand(tokenParameter, region),
      }).overrideLogicalId('slack_bot_token_put_command');
    }
  }
}
