/** The roster's `resendAfterSignIn` as the tag the function reads (issue 17). */
import { validateRoster } from '../../inputs/roster';
import { parseJsonDocument } from '../../inputs/json-file';
import { InputFileError } from '../../inputs/errors';
import { RESEND_AFTER_SIGN_IN_TAG_KEY, RESEND_TAG_KEY } from '../../shared/contract';
import { userTags } from '../../stacks/roster-users';

const rosterOf = (users: unknown[]) =>
  validateRoster(parseJsonDocument('users.json', JSON.stringify({ users })));

describe('users[].resendAfterSignIn', () => {
  it('becomes the tag "true" only when set, next to the counter', () => {
    const roster = rosterOf([
      { userName: 'ask', email: 'ask@example.com', resend: 2, resendAfterSignIn: true },
      { userName: 'plain', email: 'plain@example.com', resend: 2 },
    ]);
    const [ask, plain] = roster.users.map(userTags);
    expect(ask).toMatchObject({ [RESEND_TAG_KEY]: '2', [RESEND_AFTER_SIGN_IN_TAG_KEY]: 'true' });
    expect(plain).not.toHaveProperty(RESEND_AFTER_SIGN_IN_TAG_KEY);
  });

  it('is true or absent, and its tag may not be written by hand', () => {
    const problems = (() => {
      try {
        rosterOf([
          { userName: 'a', email: 'a@example.com', resendAfterSignIn: false },
          { userName: 'b', email: 'b@example.com', tags: { 'Resend-After-Sign-In': 'true' } },
        ]);
      } catch (e) {
        if (e instanceof InputFileError) return e.problems.map((p) => [p.path, p.message]);
        throw e;
      }
      return [];
    })();
    expect(problems).toEqual([
      ['$.users[0].resendAfterSignIn', 'must be true, or left out; found false'],
      [
        '$.users[1].tags["Resend-After-Sign-In"]',
        expect.stringContaining('a tag key may not be one of'),
      ],
    ]);
  });
});
