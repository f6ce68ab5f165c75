/** The roster's `resend` counter: what it accepts, and how a bad value is reported. */
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { RESEND_MAX, rosterJsonSchema, validateRoster } from '../../inputs/roster';

function roster(resend: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      users: [
        { userName: 'alice', email: 'alice@example.com', resend, ...extra },
        { userName: 'bob', email: 'bob@example.com' },
      ],
    },
    null,
    2,
  );
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

describe('users[].resend', () => {
  it.each([0, 1, 2, RESEND_MAX])('accepts %d', (value) => {
    const parsed = validateRoster(parseJsonDocument('users.json', roster(value)));
    expect(parsed.users[0].resend).toBe(value);
  });

  it('is optional: absent means never resent', () => {
    const parsed = validateRoster(
      parseJsonDocument(
        'users.json',
        JSON.stringify({ users: [{ userName: 'alice', email: 'alice@example.com' }] }),
      ),
    );
    expect(parsed.users[0].resend).toBeUndefined();
  });

  it.each<[unknown, string]>([
    ['2', 'must be a whole number like 1, without quotes; found "2"; did you mean 2?'],
    [1.5, 'must be a whole number like 1; found 1.5'],
    [-1, 'must not be negative; found -1'],
    [
      RESEND_MAX + 1,
      `is larger than ${RESEND_MAX}; raise the counter by one per resend; found ${RESEND_MAX + 1}`,
    ],
    [true, 'must be a whole number like 1, without quotes; found true'],
    [null, 'must be a whole number like 1, without quotes; found null'],
  ])('rejects %j with its path, the user and the value', (value, message) => {
    expect(problems(roster(value))).toEqual([`$.users[0].resend (user "alice"): ${message}`]);
  });

  it('reports a bad counter together with the other problems of the file', () => {
    const text = roster(-3, { email: 'not-an-address' });
    const found = problems(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^\$\.users\[0\]\.email \(user "alice"\)/);
    expect(found[1]).toBe('$.users[0].resend (user "alice"): must not be negative; found -3');
  });

  it('reserves the tag it becomes: the roster may not write resend-welcome by hand', () => {
    const text = JSON.stringify({
      users: [{ userName: 'alice', email: 'alice@example.com', tags: { 'Resend-Welcome': '9' } }],
    });
    expect(problems(text)).toEqual([
      '$.users[0].tags["Resend-Welcome"] (user "alice"): a tag key may not be one of managed-by, email, display-name, resend-welcome, resend-after-sign-in, renamed-from, suspended, access-until, delivery-channel (this project sets them); found "Resend-Welcome"',
    ]);
  });

  it("counts the tag against IAM's 50 tags per user only when it is written (above 0)", () => {
    const tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'x']));
    // 47 + managed-by + email = 49: room for the resend tag.
    expect(() =>
      validateRoster(parseJsonDocument('users.json', roster(0, { tags }))),
    ).not.toThrow();
    expect(() =>
      validateRoster(parseJsonDocument('users.json', roster(1, { tags }))),
    ).not.toThrow();
    const more = { ...tags, t47: 'x' };
    expect(() =>
      validateRoster(parseJsonDocument('users.json', roster(0, { tags: more }))),
    ).not.toThrow();
    expect(problems(roster(1, { tags: more }))).toEqual([
      '$.users[0].tags (user "alice"): has 48 tags; with the 3 this project sets that exceeds IAM\'s 50 tags per user; found an object with 48 fields',
    ]);
  });

  it('is in the JSON Schema editors use, as a bounded integer', () => {
    const schema = rosterJsonSchema() as {
      properties: { users: { items: { properties: Record<string, Record<string, unknown>> } } };
    };
    expect(schema.properties.users.items.properties.resend).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: RESEND_MAX,
    });
  });
});
