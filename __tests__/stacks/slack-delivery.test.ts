/**
 * Slack direct messages as synthesized: the function gets the bot token's
 * parameter NAME and the default channel, the role may read exactly that
 * parameter (decrypting only through SSM), an output gives the put command,
 * and no SSM parameter resource (or the token) enters the configuration. A
 * person's channel becomes their tag. Nothing of it without the settings.
 */
import { WELCOME_ENV } from '../../shared/contract';
import {
  only,
  resourcesOf,
  statement,
  statements,
  synthStack,
  trailNoZone,
  zoneNoTrail,
} from '../support/stack';

const ACCOUNT = '123456789012';
const TOKEN = '/iam-onboarding/slack-bot-token';

const withSlack = (channel: 'slack' | 'email' | 'email-and-slack', webhook = true) => {
  const s = trailNoZone();
  return synthStack({
    ...s,
    notifications: webhook ? s.notifications : { adminEmails: s.notifications.adminEmails },
    delivery: { ...s.delivery, channel, slackBotTokenParameter: TOKEN },
  }).config;
};
const variables = (config: ReturnType<typeof withSlack>) =>
  (only(config, 'aws_lambda_function').environment as { variables: Record<string, string> })
    .variables;

test('the function gets the name and the default; the role reads exactly that ARN', () => {
  const config = withSlack('slack');
  expect(variables(config)[WELCOME_ENV.slackBotTokenParameter]).toBe(TOKEN);
  expect(variables(config)[WELCOME_ENV.deliveryChannel]).toBe('slack');
  expect(variables(config)).not.toHaveProperty(WELCOME_ENV.slackApiUrl);
  const policy = only(config, 'aws_iam_role_policy').policy;
  expect(statement(policy, 'ReadSlackBotTokenParameter')).toEqual({
    Sid: 'ReadSlackBotTokenParameter',
    Effect: 'Allow',
    Action: 'ssm:GetParameter',
    Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${TOKEN}`,
  });
  // The webhook's decrypt statement serves both: no second one.
  const sids = statements(policy).map((s) => s.Sid);
  expect(sids).toContain('DecryptSlackWebhookThroughSsm');
  expect(sids).not.toContain('DecryptSlackBotTokenThroughSsm');
  expect(resourcesOf(config, 'aws_ssm_parameter')).toEqual({});
  expect(config.output?.slack_bot_token_put_command?.value).toBe(
    `aws ssm put-parameter --region us-east-1 --name ${TOKEN} --type SecureString --overwrite --value file:///dev/stdin`,
  );
});

test('without the webhook, the token brings its own decrypt through SSM', () => {
  const config = withSlack('email-and-slack', false);
  const policy = only(config, 'aws_iam_role_policy').policy;
  expect(statement(policy, 'DecryptSlackBotTokenThroughSsm')).toEqual({
    Sid: 'DecryptSlackBotTokenThroughSsm',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
    Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
  });
  expect(statements(policy).map((s) => s.Sid)).not.toContain('ReadSlackWebhookParameter');
});

test('an email default is no variable: the environment stays as before', () => {
  expect(variables(withSlack('email'))).not.toHaveProperty(WELCOME_ENV.deliveryChannel);
  const none = synthStack(zoneNoTrail()).config;
  expect(variables(none)).not.toHaveProperty(WELCOME_ENV.slackBotTokenParameter);
  expect(statements(only(none, 'aws_iam_role_policy').policy).map((s) => s.Sid)).not.toContain(
    'ReadSlackBotTokenParameter',
  );
  expect(none.output?.slack_bot_token_put_command).toBeUndefined();
});
