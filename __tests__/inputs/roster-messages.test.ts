/**
 * How every roster and settings problem shows the value it is about and the
 * fix it suggests (inputs/errors.ts): one builder, so these hold for both files.
 */
import {
  closestMatch,
  describeProblem,
  editDistance,
  quote,
  renderValue,
} from '../../inputs/errors';

describe('quote', () => {
  it('makes tabs, newlines and invisible characters visible', () => {
    expect(quote('a\tb\nc\rd')).toBe('"a\\tb\\nc\\rd"');
    expect(quote('\u200balice\u00a0')).toBe('"\\u200balice\\u00a0"');
    expect(quote('\ufeffx\u202ey\u2028z\u3000')).toBe('"\\ufeffx\\u202ey\\u2028z\\u3000"');
    expect(quote('\u0000\u007f\u0085')).toBe('"\\u0000\\u007f\\u0085"');
    expect(quote('a\u034fb')).toBe('"a\\u034fb"');
    // An invisible character beyond the basic plane (a tag character).
    expect(quote('a\u{e0041}')).toBe('"a\\u{e0041}"');
  });

  it('escapes quotes and backslashes, and keeps other text as it is', () => {
    expect(quote('say "hi" \\ o/')).toBe('"say \\"hi\\" \\\\ o/"');
    expect(quote('Zoë Ångström 李 🎉 a b')).toBe('"Zoë Ångström 李 🎉 a b"');
  });

  it('shortens text over 60 characters with an ellipsis, counting characters, not code units', () => {
    expect(quote('x'.repeat(60))).toBe(`"${'x'.repeat(60)}"`);
    expect(quote('x'.repeat(61))).toBe(`"${'x'.repeat(59)}…"`);
    expect(quote('🎉'.repeat(61))).toBe(`"${'🎉'.repeat(59)}…"`);
  });
});

describe('renderValue', () => {
  it('quotes strings, with the length when shortened', () => {
    expect(renderValue(' a@example.com')).toBe('" a@example.com"');
    expect(renderValue('v'.repeat(257))).toBe(`"${'v'.repeat(59)}…" (257 characters)`);
  });

  it('shows other values as JSON, and long lists and objects by their size', () => {
    expect(renderValue(123456789012)).toBe('123456789012');
    expect(renderValue(false)).toBe('false');
    expect(renderValue(null)).toBe('null');
    expect(renderValue(['a', 'b\u200b'])).toBe('["a","b\\u200b"]');
    expect(renderValue(Array.from({ length: 30 }, (_, i) => i))).toBe('a list of 30 items');
    expect(
      renderValue(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 1]))),
    ).toBe('an object with 20 fields');
  });
});

describe('closestMatch', () => {
  it('counts a swap of two neighbours as one edit, ignoring case', () => {
    expect(editDistance('emial', 'email')).toBe(1);
    expect(editDistance('SUPORT', 'support')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest name only when it is close enough and unambiguous', () => {
    expect(closestMatch('emial', ['userName', 'email', 'groups'])).toBe('email');
    expect(closestMatch('Suport', ['developers', 'support', 'billing'])).toBe('support');
    expect(closestMatch('maxConcurrency', ['maximumConcurrency', 'reservedConcurrency'])).toBe(
      'maximumConcurrency',
    );
    expect(closestMatch('admins', ['developers', 'support'])).toBeUndefined();
    expect(closestMatch('ops', ['dev', 'qa'])).toBeUndefined();
    expect(closestMatch('dev3', ['dev1', 'dev2'])).toBeUndefined(); // a tie: no guess
    expect(closestMatch('email', ['email'])).toBeUndefined(); // nothing to fix
    expect(closestMatch('x', [])).toBeUndefined();
  });
});

describe('describeProblem', () => {
  it('adds the value found and the suggestion to the message', () => {
    expect(
      describeProblem({
        path: '$.users[0].email',
        message: 'is not an address',
        value: ' a@example.com',
        suggestion: 'a@example.com',
        line: 3,
        column: 7,
      }),
    ).toEqual({
      path: '$.users[0].email',
      message: 'is not an address; found " a@example.com"; did you mean "a@example.com"?',
      line: 3,
      column: 7,
    });
  });

  it('does not repeat a value the message already quotes, and says nothing of a missing one', () => {
    expect(
      describeProblem({ path: '$.g', message: 'refers to group "suport"', value: 'suport' }),
    ).toEqual({ path: '$.g', message: 'refers to group "suport"' });
    expect(describeProblem({ path: '$.r', message: 'is 5, below 10', value: 5 }).message).toBe(
      'is 5, below 10',
    );
    // A number inside a longer one is not a mention of it.
    expect(describeProblem({ path: '$.d', message: 'one of 7, 1096', value: 10 }).message).toBe(
      'one of 7, 1096; found 10',
    );
    expect(describeProblem({ path: '$.email', message: 'is required', value: undefined })).toEqual({
      path: '$.email',
      message: 'is required',
    });
  });
});
