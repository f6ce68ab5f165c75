/** The roster's `renamedFrom`: what it accepts, and the tag the welcome email reads. */
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateRoster } from '../../inputs/roster';
import { RENAMED_FROM_TAG_KEY } from '../../shared/contract';
import { userTags } from '../../stacks/roster-users';

function roster(user: Record<string, unknown>): string {
  return JSON.stringify({ users: [{ userName: 'ada.king', email: 'ada@example.com', ...user }] });
}

function problems(text: string): string[] {
  try {
    validateRoster(parseJsonDocument('users.json', text));
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    return err.problems.map(
      (p: Problem) => `${p.path}${p.subject ? ` (${p.subject})` : ''}: ${p.message}`,
    );
  }
  throw new Error('expected the roster to be rejected');
}

describe('users[].renamedFrom', () => {
  it('becomes the renamed-from tag, which the function reads; absent, no tag', () => {
    const [renamed] = validateRoster(
      parseJsonDocument('users.json', roster({ renamedFrom: 'ada.lovelace' })),
    ).users;
    expect(userTags(renamed)[RENAMED_FROM_TAG_KEY]).toBe('ada.lovelace');
    const [plain] = validateRoster(parseJsonDocument('users.json', roster({}))).users;
    expect(userTags(plain)).not.toHaveProperty(RENAMED_FROM_TAG_KEY);
  });

  it.each<[unknown, RegExp]>([
    ['ada king', /^\$\.users\[0\]\.renamedFrom \(user "ada\.king"\): /],
    ['x'.repeat(65), /^\$\.users\[0\]\.renamedFrom \(user "ada\.king"\): /],
    [7, /^\$\.users\[0\]\.renamedFrom \(user "ada\.king"\): /],
  ])('refuses %j as no IAM user name, at its path', (value, where) => {
    const found = problems(roster({ renamedFrom: value }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(where);
  });

  it('refuses the user name itself, ignoring case, saying which goes where', () => {
    expect(problems(roster({ renamedFrom: 'Ada.King' }))).toEqual([
      '$.users[0].renamedFrom (user "ada.king"): is the same as userName; a rename gives the new name in userName and the old one here; found "Ada.King"',
    ]);
  });

  it('refuses someone still in the roster, naming where', () => {
    const text = JSON.stringify({
      users: [
        { userName: 'ada.king', email: 'ada@example.com', renamedFrom: 'bo' },
        { userName: 'bo', email: 'bo@example.com' },
      ],
    });
    expect(problems(text)).toEqual([
      '$.users[0].renamedFrom (user "ada.king"): names the user at $.users[1], who is still in the roster; give the user name this person had before; found "bo"',
    ]);
  });

  it('may not be set as a tag by hand', () => {
    expect(problems(roster({ tags: { [RENAMED_FROM_TAG_KEY]: 'someone' } })).join('\n')).toMatch(
      /may not be one of .*renamed-from/,
    );
  });

  it('counts towards the 50 tags IAM allows', () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
    expect(validateRoster(parseJsonDocument('users.json', roster({ tags }))).users).toHaveLength(1);
    expect(problems(roster({ tags, renamedFrom: 'ada.lovelace' })).join('\n')).toMatch(
      /exceeds IAM's 50 tags per user/,
    );
  });
});
