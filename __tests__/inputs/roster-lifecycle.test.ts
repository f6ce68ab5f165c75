/**
 * The roster's `suspended` and `accessUntil`: what they accept, impossible
 * days, and end dates in the past, refused when this change adds them and
 * left alone when they were committed before they passed.
 */
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { impossibleDate, utcDay, validateRoster, type EndDateOptions } from '../../inputs/roster';

const TODAY = '2026-12-02';

function roster(extra: Record<string, unknown>, more: Record<string, unknown>[] = []) {
  return {
    users: [{ userName: 'alice', email: 'alice@example.com', ...extra }, ...more],
  };
}

function validate(value: unknown, options: EndDateOptions = { today: TODAY }) {
  return validateRoster(
    parseJsonDocument('users.json', JSON.stringify(value, null, 2)),
    undefined,
    options,
  );
}

function problems(value: unknown, options: EndDateOptions = { today: TODAY }): string[] {
  try {
    validate(value, options);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    return err.problems.map(
      (p: Problem) =>
        `${p.line}:${p.column} ${p.path}${p.subject ? ` (${p.subject})` : ''}: ${p.message}`,
    );
  }
  return [];
}

describe('users[].suspended', () => {
  it('accepts true and absent', () => {
    expect(validate(roster({ suspended: true })).users[0].suspended).toBe(true);
    expect(validate(roster({})).users[0].suspended).toBeUndefined();
  });

  it.each([false, 'true', 1])('refuses %p, saying what it may be', (value) => {
    expect(problems(roster({ suspended: value }))).toEqual([
      expect.stringMatching(
        /^6:7 \$\.users\[0\]\.suspended \(user "alice"\): must be true, or left out; found /,
      ),
    ]);
  });
});

describe('users[].accessUntil', () => {
  it.each(['2026-12-02', '2027-03-31', '2028-02-29', '2099-12-31'])('accepts %s', (date) => {
    expect(validate(roster({ accessUntil: date })).users[0].accessUntil).toBe(date);
  });

  it.each<[unknown, string]>([
    ['2027-02-30', 'is not a day in the calendar: February 2027 has 28 days; found "2027-02-30"'],
    ['2027-02-29', 'is not a day in the calendar: February 2027 has 28 days; found "2027-02-29"'],
    ['2027-04-31', 'is not a day in the calendar: April 2027 has 30 days; found "2027-04-31"'],
    ['2027-13-01', 'is not a day in the calendar: there is no month 13; found "2027-13-01"'],
    ['2027-00-10', 'is not a day in the calendar: there is no month 0; found "2027-00-10"'],
    ['2027-01-00', 'is not a day in the calendar: January 2027 has 31 days; found "2027-01-00"'],
    [
      '31/03/2027',
      'must be a date like "2027-03-31" (YYYY-MM-DD: four-digit year, two-digit month and day); found "31/03/2027"',
    ],
    [
      '2027-3-31',
      'must be a date like "2027-03-31" (YYYY-MM-DD: four-digit year, two-digit month and day); found "2027-3-31"',
    ],
    [
      '2027-03-31T00:00:00Z',
      'must be a date like "2027-03-31" (YYYY-MM-DD: four-digit year, two-digit month and day); found "2027-03-31T00:00:00Z"',
    ],
    [20270331, 'must be a date like "2027-03-31" (YYYY-MM-DD), in quotes; found 20270331'],
  ])('refuses %p with where and why', (value, message) => {
    expect(problems(roster({ accessUntil: value }))).toEqual([
      `6:7 $.users[0].accessUntil (user "alice"): ${message}`,
    ]);
  });

  it('knows the leap years of the Gregorian calendar', () => {
    expect(impossibleDate('2028-02-29')).toBeUndefined();
    expect(impossibleDate('2100-02-29')).toBe('February 2100 has 28 days');
    expect(impossibleDate('2000-02-29')).toBeUndefined();
  });

  it('reads today in UTC', () => {
    expect(utcDay(new Date('2026-12-02T23:59:59-05:00'))).toBe('2026-12-03');
    expect(utcDay(new Date('2026-12-02T00:00:00Z'))).toBe('2026-12-02');
  });
});

describe('an end date in the past', () => {
  const PAST =
    'is in the past (today is 2026-12-02, UTC); an end date must be today or later when it is added: to end this person\'s access now, set "suspended": true; found "2026-12-01"';

  it('is refused for a new person, or when nothing is committed', () => {
    expect(problems(roster({ accessUntil: '2026-12-01' }))).toEqual([
      `6:7 $.users[0].accessUntil (user "alice"): ${PAST}`,
    ]);
    expect(
      problems(roster({ accessUntil: '2026-12-01' }), {
        today: TODAY,
        committed: () => ({ users: [{ userName: 'bob', accessUntil: '2026-12-01' }] }),
      }),
    ).toEqual([`6:7 $.users[0].accessUntil (user "alice"): ${PAST}`]);
  });

  it('is refused when the change sets it: absent or another date before', () => {
    for (const before of [{}, { accessUntil: '2027-01-31' }, { accessUntil: '2026-11-30' }]) {
      const committed = () => roster(before);
      expect(problems(roster({ accessUntil: '2026-12-01' }), { today: TODAY, committed })).toEqual([
        `6:7 $.users[0].accessUntil (user "alice"): ${PAST}`,
      ]);
    }
  });

  it('passes when committed before it passed (the user name compared ignoring case)', () => {
    const committed = () =>
      roster({ accessUntil: '2026-12-01' }).users.map((u) => ({ ...u, userName: 'Alice' }));
    expect(
      problems(roster({ accessUntil: '2026-12-01' }), {
        today: TODAY,
        committed: () => ({ users: committed() }),
      }),
    ).toEqual([]);
  });

  it('asks git only when a date has passed', () => {
    const committed = jest.fn(() => undefined);
    expect(problems(roster({ accessUntil: TODAY }), { today: TODAY, committed })).toEqual([]);
    expect(committed).not.toHaveBeenCalled();
  });

  it('is refused once per person, with every other problem of the file', () => {
    const value = roster({ accessUntil: '2020-01-01' }, [
      { userName: 'bob', email: 'bob@example.com', accessUntil: '2027-02-30' },
      { userName: 'cy', email: 'cy@example.com', accessUntil: '2026-11-30', suspended: true },
    ]);
    expect(problems(value)).toEqual([
      expect.stringMatching(/^6:7 \$\.users\[0\]\.accessUntil \(user "alice"\): is in the past/),
      expect.stringMatching(
        /^11:7 \$\.users\[1\]\.accessUntil \(user "bob"\): is not a day in the calendar/,
      ),
      expect.stringMatching(/^16:7 \$\.users\[2\]\.accessUntil \(user "cy"\): is in the past/),
    ]);
  });
});

describe('the tags they become', () => {
  it('are reserved: the roster may not set them by hand', () => {
    expect(problems(roster({ tags: { suspended: 'true', 'access-until': '2027-01-01' } }))).toEqual(
      [
        expect.stringMatching(
          /\$\.users\[0\]\.tags\.suspended \(user "alice"\): a tag key may not be one of .*suspended, access-until/,
        ),
        expect.stringMatching(
          /\$\.users\[0\]\.tags\["access-until"\] \(user "alice"\): a tag key may not be one of/,
        ),
      ],
    );
  });

  it('count towards the 50 tags per user', () => {
    const tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'x']));
    expect(problems(roster({ tags }))).toEqual([]);
    expect(problems(roster({ tags, accessUntil: '2027-01-01' }))).toEqual([
      expect.stringMatching(
        /has 47 tags; with the 4 this project sets that exceeds IAM's 50 tags per user/,
      ),
    ]);
  });
});
