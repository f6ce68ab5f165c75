/**
 * The welcome DM's blocks: the email's content, every roster and settings
 * value escaped so that none becomes a mention or a link, the password in a
 * preformatted element of its own and never in the notification text.
 */
import {
  renderWelcomeEmail,
  type WelcomeEmailInput,
} from '../../../../handlers/welcome/core/message';
import {
  renderWelcomeSlack,
  type SlackBlock,
} from '../../../../handlers/welcome/core/slack-message';

const input = (over: Partial<WelcomeEmailInput> = {}): WelcomeEmailInput => ({
  userName: 'alice.martin',
  displayName: 'Alice Martin',
  email: 'alice.martin@example.com',
  signInUrl: 'https://example-corp.signin.aws.amazon.com/console',
  organisationName: 'Example Corp',
  helpContact: 'it-help@example.com',
  password: 'Pa55&word<x>*_',
  issuedAtMs: Date.parse('2026-12-03T10:00:00Z'),
  unusedPasswordDays: 7,
  mfaRequired: true,
  ...over,
});

/** Every mrkdwn text of the message (what Slack parses for markup). */
function mrkdwn(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'section'
      ? [b.text.text]
      : b.type === 'context'
        ? b.elements.map((e) => e.text)
        : [],
  );
}

function preformatted(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'rich_text' ? b.elements.map((e) => e.elements.map((t) => t.text).join('')) : [],
  );
}

it('says what the email says: the subject, greeting, sign-in details, expiry, MFA and help', () => {
  const slack = renderWelcomeSlack(input());
  const email = renderWelcomeEmail(input());
  const header = slack.blocks[0];
  expect(header).toEqual({
    type: 'header',
    text: { type: 'plain_text', text: email.subject, emoji: false },
  });
  const text = mrkdwn(slack.blocks).join('\n');
  expect(text).toContain('Hello Alice Martin,');
  expect(text).toContain('https://example-corp.signin.aws.amazon.com/console');
  expect(text).toContain('You must choose a new password the first time you sign in');
  expect(text).toContain('stops working on 10 December 2026 at 10:00 UTC');
  expect(text).toContain('Assign MFA device');
  expect(text).toContain('Need help? Ask it-help@example.com.');
  expect(text).toContain('delete this message');
  expect(preformatted(slack.blocks)).toEqual(['alice.martin', 'Pa55&word<x>*_']);
});

it('keeps the password out of every mrkdwn text and out of the notification text', () => {
  const slack = renderWelcomeSlack(input());
  expect(slack.text).not.toContain('Pa55');
  expect(slack.text).toContain('Your sign-in for the Example Corp AWS account');
  for (const t of mrkdwn(slack.blocks)) expect(t).not.toContain('Pa55');
});

it('escapes every value: no mention, no link, no special mention from the roster or settings', () => {
  const slack = renderWelcomeSlack(
    input({
      displayName: '<!here> <@U024BE7LH> & <https://evil.example|click>',
      organisationName: 'Corp <!channel>',
      helpContact: '@everyone or <#C0123|it-help>',
      email: 'x@example.com',
    }),
  );
  const all = [...mrkdwn(slack.blocks), slack.text].join('\n');
  expect(all).not.toMatch(/<[!@#]/);
  expect(all).not.toContain('<https://');
  expect(all).toContain('&lt;!here&gt;');
  expect(all).toContain('&amp;');
  // A bare @everyone is no mention either.
  expect(all).not.toMatch(/(^|\s)@everyone/);
  // The header is plain text, which Slack never parses for mentions.
  expect(slack.blocks[0].type).toBe('header');
});

it('a resend says it replaces the earlier message, like the email', () => {
  const slack = renderWelcomeSlack(input({ resend: true, replacesEarlier: true }));
  expect(mrkdwn(slack.blocks).join('\n')).toContain('*This is a new temporary password');
});

it('stays within Slack’s limits for any length of value', () => {
  const slack = renderWelcomeSlack(
    input({
      displayName: 'N'.repeat(256),
      helpContact: 'h'.repeat(200),
      organisationName: 'O'.repeat(100),
    }),
  );
  const header = slack.blocks[0];
  if (header.type !== 'header') throw new Error('no header');
  expect(header.text.text.length).toBeLessThanOrEqual(150);
  for (const t of mrkdwn(slack.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
  expect(slack.blocks.length).toBeLessThanOrEqual(50);
});
