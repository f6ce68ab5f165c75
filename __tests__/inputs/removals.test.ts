/** The share of people a change may remove quietly, and the warnings past it. */
import { BuildEnvironmentError } from '../../inputs/errors';
import {
  DEFAULT_REMOVAL_SHARE,
  removalWarnings,
  removalWarningShare,
  removesTooMany,
  userNamesOf,
} from '../../inputs/removals';

const share = (v?: string) =>
  removalWarningShare(v === undefined ? {} : { ROSTER_REMOVAL_WARNING_SHARE: v });

describe('ROSTER_REMOVAL_WARNING_SHARE', () => {
  it.each([
    [undefined, DEFAULT_REMOVAL_SHARE],
    ['', DEFAULT_REMOVAL_SHARE],
    ['0.35', 0.35],
    ['35%', 0.35],
    [' 1 ', 1],
    ['0', 0],
    ['100%', 1],
  ])('reads %p as %p', (raw, expected) => expect(share(raw)).toBeCloseTo(expected));

  it.each(['1.5', '150%', '-0.1', 'a lot', '20 %', '0x1'])('refuses %p', (raw) => {
    expect(() => share(raw)).toThrow(BuildEnvironmentError);
    expect(() => share(raw)).toThrow(/must be a share between 0 and 1/);
  });
});

describe('removals past the share', () => {
  it('is strictly more than the share, and never for nobody removed or nobody before', () => {
    expect(removesTooMany(1, 5, 0.2)).toBe(false);
    expect(removesTooMany(2, 5, 0.2)).toBe(true);
    expect(removesTooMany(1, 5, 0)).toBe(true);
    expect(removesTooMany(0, 5, 0)).toBe(false);
    expect(removesTooMany(1, 0, 0)).toBe(false);
  });

  it('reads user names from anything roster-shaped, ignoring case and junk', () => {
    expect(userNamesOf({ users: [{ userName: 'Ann' }, { email: 'x' }, null, 'bo'] })).toEqual([
      'ann',
    ]);
    expect(userNamesOf(null)).toEqual([]);
    expect(userNamesOf({ users: 'no' })).toEqual([]);
  });

  it('compares with the committed roster by name, and names at most ten', () => {
    const earlier = {
      ref: 'HEAD',
      value: { users: Array.from({ length: 20 }, (_, i) => ({ userName: `u${i}` })) },
    };
    const [warning, ...rest] = removalWarnings(['u0', 'u1'], earlier, 0.2);
    expect(rest).toEqual([]);
    expect(warning).toMatch(
      /^this change removes 18 of 20 people \(90%\) of the roster in HEAD, more than 20%/,
    );
    expect(warning).toContain(': u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, …; check it is meant');
    expect(removalWarnings(['u0'], undefined, 0)).toEqual([]);
  });
});
