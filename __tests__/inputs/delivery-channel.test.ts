/**
 * `delivery.channel`, `delivery.slackBotTokenParameter` and a person's own
 * `channel`: defaults, and each mistake reported with its path and the way
 * out; a token or a URL pasted where the parameter's name goes is refused
 * without being repeated; Slack without a token is refused where it is asked
 * for (the settings' default, or the person's entry), and nothing is loaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, InputFileError, InputFilesError, type Problem } from '../../inputs/errors';
import { loadInputFiles } from '../../inputs/input-files';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateRoster } from '../../inputs/roster';
import { loadSettings } from '../../inputs/settings';
import { userTags } from '../../stacks/roster-users';

const dir = mkdtempSync(join(tmpdir(), 'delivery-channel-'));
let n = 0;
const file = (content: unknown) => {
  const path = join(dir, `f-${n++}.json`);
  writeFileSync(path, JSON.stringify(content, null, 2));
  return path;
};
const settings = (delivery?: unknown) => ({
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it@example.com',
  ...(delivery === undefined ? {} : { delivery }),
});
const roster = (...users: Record<string, unknown>[]) => ({
  groups: [],
  users: users.length > 0 ? users : [{ userName: 'alice', email: 'alice@example.com' }],
});

function thrown(run: () => unknown): { problems: Problem[]; text: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof InputFileError) {
      return { problems: [...e.problems], text: formatProblems(e.file, e.problems) };
    }
    if (e instanceof InputFilesError) {
      const problems = e.errors.flatMap((x) => [...x.problems]);
      return { problems, text: e.errors.map((x) => formatProblems(x.file, x.problems)).join('\n') };
    }
    throw e;
  }
  throw new Error('expected an input error');
}

describe('the settings', () => {
  it('default to email and no token', () => {
    const s = loadSettings(file(settings()));
    expect(s.delivery.channel).toBe('email');
    expect(s.delivery.slackBotTokenParameter).toBeUndefined();
  });

  it('take a Slack default with the token parameter', () => {
    const s = loadSettings(
      file(
        settings({ channel: 'slack', slackBotTokenParameter: '/iam-onboarding/slack-bot-token' }),
      ),
    );
    expect(s.delivery).toMatchObject({
      channel: 'slack',
      slackBotTokenParameter: '/iam-onboarding/slack-bot-token',
    });
  });

  it('refuse an unknown channel, naming the three', () => {
    const { problems } = thrown(() => loadSettings(file(settings({ channel: 'sms' }))));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('$.delivery.channel');
    expect(problems[0].message).toContain('must be one of "email", "slack", "email-and-slack"');
  });

  it('refuse Slack without the token parameter, naming both fields', () => {
    for (const channel of ['slack', 'email-and-slack']) {
      const { problems } = thrown(() => loadSettings(file(settings({ channel }))));
      expect(problems).toHaveLength(1);
      expect(problems[0].path).toBe('$.delivery.channel');
      expect(problems[0].message).toContain('delivery.slackBotTokenParameter is not set');
    }
  });

  it.each([
    ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'is a Slack token'],
    ['xoxp-1-secretUserToken', 'is a Slack token'],
    ['xapp-1-A0-secret', 'is a Slack token'],
    ['https://slack.com/api/chat.postMessage?token=abc', 'is a URL'],
  ])('a secret pasted where the name goes (%#): refused, never repeated', (value, what) => {
    const { problems, text } = thrown(() =>
      loadSettings(file(settings({ channel: 'slack', slackBotTokenParameter: value }))),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('$.delivery.slackBotTokenParameter');
    expect(problems[0].message).toContain(`${what}, but this field takes the NAME`);
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.slice(5, 20));
  });

  it('refuse a name SSM would refuse', () => {
    const { problems } = thrown(() =>
      loadSettings(file(settings({ channel: 'slack', slackBotTokenParameter: 'no/leading' }))),
    );
    expect(problems.map((p) => p.path)).toEqual(['$.delivery.slackBotTokenParameter']);
    expect(problems[0].message).toContain('does not start with one');
  });
});

describe("a person's channel", () => {
  it('is optional, one of the three, and becomes the delivery-channel tag', () => {
    const r = validateRoster(
      parseJsonDocument(
        'users.json',
        JSON.stringify(
          roster(
            { userName: 'sam', email: 'sam@example.com', channel: 'slack' },
            { userName: 'eve', email: 'eve@example.com' },
          ),
        ),
      ),
    );
    expect(r.users[0].channel).toBe('slack');
    expect(userTags(r.users[0])['delivery-channel']).toBe('slack');
    expect(userTags(r.users[1])).not.toHaveProperty('delivery-channel');
  });

  it('refuses an unknown channel and the tag written by hand', () => {
    const { problems } = thrown(() =>
      validateRoster(
        parseJsonDocument(
          'users.json',
          JSON.stringify(
            roster(
              { userName: 'sam', email: 'sam@example.com', channel: 'Slack' },
              { userName: 'tom', email: 'tom@example.com', tags: { 'delivery-channel': 'slack' } },
            ),
          ),
        ),
      ),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.users[0].channel',
      '$.users[1].tags["delivery-channel"]',
    ]);
    expect(problems[0].message).toContain('must be one of');
  });

  it('with Slack needs the settings’ token: refused where the person asks for it, both files read', () => {
    const { problems, text } = thrown(() =>
      loadInputFiles({
        settingsFile: file(settings()),
        rosterFile: file(
          roster(
            { userName: 'sam', email: 'sam@example.com', channel: 'slack' },
            { userName: 'both', email: 'both@example.com', channel: 'email-and-slack' },
            { userName: 'eve', email: 'eve@example.com', channel: 'email' },
          ),
        ),
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(['$.users[0].channel', '$.users[1].channel']);
    expect(text).toContain("the settings' delivery.slackBotTokenParameter is not set");
  });

  it('with Slack and the token loads', () => {
    const files = loadInputFiles({
      settingsFile: file(settings({ slackBotTokenParameter: '/iam-onboarding/slack-bot-token' })),
      rosterFile: file(roster({ userName: 'sam', email: 'sam@example.com', channel: 'slack' })),
    });
    expect(files.roster.users[0].channel).toBe('slack');
  });
});
