/** The function's settings from its environment: the MFA switch the stack sets, and what it refuses. */
import { FunctionEnvironmentError, readConfig } from '../../../../handlers/welcome/core/config';
import { welcomeEnv } from '../../../support/welcome-events';

/** The error readConfig throws for `env`, or undefined when it reads it. */
function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    readConfig(env);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('readConfig', () => {
  it('reads REQUIRE_MFA as the stack writes it ("true" / "false")', () => {
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: 'true' })).mfaRequired).toBe(true);
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: 'false' })).mfaRequired).toBe(false);
    // An environment from before the setting existed: no MFA steps promised.
    expect(readConfig(welcomeEnv({ REQUIRE_MFA: undefined })).mfaRequired).toBe(false);
  });

  it('reads UNUSED_PASSWORD_DAYS for the date the email gives, leaving a malformed one to the expiry run', () => {
    expect(readConfig(welcomeEnv({ UNUSED_PASSWORD_DAYS: '7' })).unusedPasswordDays).toBe(7);
    expect(readConfig(welcomeEnv({ UNUSED_PASSWORD_DAYS: undefined }))).not.toHaveProperty(
      'unusedPasswordDays',
    );
    // The expiry run fails on these, so nothing expires: the email names no date.
    for (const bad of ['0', '46', '7.5', 'seven'])
      expect(readConfig(welcomeEnv({ UNUSED_PASSWORD_DAYS: bad }))).not.toHaveProperty(
        'unusedPasswordDays',
      );
  });

  it.each([
    [{ SENDER_ADDRESS: undefined }, 'environment variable SENDER_ADDRESS is not set'],
    [
      { SENDER_ADDRESS: 'IT <it@example.com>\r\nBcc: someone@evil.example' },
      'SENDER_ADDRESS is not one address ("addr@example.com" or "Name <addr@example.com>"): it contains a line break',
    ],
    [
      { SENDER_ADDRESS: 'IT <a..b@example.com>' },
      'SENDER_ADDRESS is not one address ("addr@example.com" or "Name <addr@example.com>"): the address between < and >: the part before the @ has two dots in a row',
    ],
    [
      { ACCOUNT_ALIAS: 'my--corp' },
      'ACCOUNT_ALIAS is not a valid IAM account alias: it has two hyphens in a row',
    ],
  ])(
    'refuses %j with a FunctionEnvironmentError that names the variable and the reason, not the value',
    (overrides, message) => {
      const error = refusal(welcomeEnv(overrides));
      expect(error).toBeInstanceOf(FunctionEnvironmentError);
      expect(error).toMatchObject({ name: 'FunctionEnvironmentError', message });
    },
  );

  it('reads an alias with the spaces a console edit may leave around it', () => {
    expect(readConfig(welcomeEnv({ ACCOUNT_ALIAS: ' my-corp ' })).accountAlias).toBe('my-corp');
    expect(readConfig(welcomeEnv({ ACCOUNT_ALIAS: '' })).accountAlias).toBeUndefined();
  });
});

describe('readConfig: Slack direct messages', () => {
  it('defaults to email, no token and Slack itself', () => {
    expect(readConfig(welcomeEnv())).toMatchObject({
      deliveryChannel: 'email',
      slackApiUrl: 'https://slack.com/api',
    });
    expect(readConfig(welcomeEnv())).not.toHaveProperty('slackBotTokenParameter');
  });

  it('reads the channel, the parameter name and a loopback stand-in', () => {
    expect(
      readConfig(
        welcomeEnv({
          DELIVERY_CHANNEL: 'email-and-slack',
          SLACK_BOT_TOKEN_PARAMETER: ' /iam-onboarding/slack-bot-token ',
          SLACK_API_URL: 'http://127.0.0.1:4321/api/',
        }),
      ),
    ).toMatchObject({
      deliveryChannel: 'email-and-slack',
      slackBotTokenParameter: '/iam-onboarding/slack-bot-token',
      slackApiUrl: 'http://127.0.0.1:4321/api',
    });
  });

  it.each([
    [{ DELIVERY_CHANNEL: 'sms' }, 'DELIVERY_CHANNEL must be one of email, slack, email-and-slack'],
    [
      { SLACK_BOT_TOKEN_PARAMETER: 'xoxb-1-secret token' },
      'SLACK_BOT_TOKEN_PARAMETER is not an SSM parameter name',
    ],
    // The token would travel in clear text, or to someone else's host.
    [{ SLACK_API_URL: 'http://slack.example/api' }, 'SLACK_API_URL must be an https URL'],
    [{ SLACK_API_URL: 'ftp://127.0.0.1/api' }, 'SLACK_API_URL must be an https URL'],
  ])('refuses %j, never echoing the value', (overrides, message) => {
    const error = refusal(welcomeEnv(overrides));
    expect(error).toBeInstanceOf(FunctionEnvironmentError);
    expect((error as Error).message).toContain(message);
    for (const value of Object.values(overrides))
      expect((error as Error).message).not.toContain(value);
  });
});
