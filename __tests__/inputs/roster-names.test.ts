/**
 * Real names in the roster: checked and synthesized in NFC, the refused
 * character named with its code point, the nearest value IAM accepts, and
 * the display-name limit the email keeps.
 */
import fc from 'fast-check';
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { DISPLAY_NAME_MAX, userSchema, validateRoster, type Roster } from '../../inputs/roster';
import { characterLabel, firstRefused, nearestTagText, tagRefusal } from '../../inputs/tag-text';
import { renderWelcomeEmail } from '../../handlers/welcome/core/message';

function check(text: string): { roster?: Roster; problems: Problem[] } {
  try {
    return { roster: validateRoster(parseJsonDocument('users.json', text)), problems: [] };
  } catch (err) {
    if (err instanceof InputFileError) return { problems: [...err.problems] };
    throw err;
  }
}

const withPerson = (person: Record<string, unknown>) =>
  JSON.stringify({ users: [{ userName: 'dana', email: 'dana@example.com', ...person }] }, null, 2);

const nfd = (s: string) => s.normalize('NFD');

describe('names in decomposed Unicode (NFD)', () => {
  it.each(['Zoë Ñúñez', 'Łukasz Żółć', 'Nguyễn Thị Ánh', 'Ἀθηνᾶ'])(
    'accepts %s typed decomposed, and synthesizes it composed',
    (name) => {
      expect(nfd(name)).not.toBe(name);
      const { roster, problems } = check(withPerson({ displayName: nfd(name) }));
      expect(problems).toEqual([]);
      expect(roster!.users[0].displayName).toBe(name);
    },
  );

  it('composes tag keys and values too, and compares keys in that form', () => {
    const { roster } = check(withPerson({ tags: { [nfd('Café')]: nfd('Crème') } }));
    expect(roster!.users[0].tags).toEqual({ Café: 'Crème' });
    const twice = check(withPerson({ tags: { [nfd('café')]: 'a', CAFÉ: 'b' } }));
    // The message quotes the keys as typed.
    expect(twice.problems.map((p) => p.message.normalize('NFC'))).toEqual([
      expect.stringMatching(/^tag key "CAFÉ" duplicates "café"/),
    ]);
  });
});

describe('a refused name says which character, and what IAM would take', () => {
  const only = (displayName: string) => {
    const { problems } = check(withPerson({ displayName }));
    expect(problems).toHaveLength(1);
    return problems[0].message;
  };

  it.each([
    ["Dana O'Kafor", `"'" (U+0027 APOSTROPHE) at character 7`, 'Dana OKafor'],
    ['Dana O’Kafor', `"’" (U+2019 RIGHT SINGLE QUOTATION MARK) at character 7`, 'Dana OKafor'],
    ['Okafor, Dana', `"," (U+002C COMMA) at character 7`, 'Okafor Dana'],
    [
      'Dana Okafor (contractor)',
      `"(" (U+0028 LEFT PARENTHESIS) at character 13`,
      'Dana Okafor contractor',
    ],
    [
      'Research & Development',
      `"&" (U+0026 AMPERSAND) at character 10`,
      'Research and Development',
    ],
    ['Dana 😀', '"😀" (U+1F600, a symbol) at character 6', 'Dana'],
  ])('%s: names %s and suggests %s', (name, named, nearest) => {
    const message = only(name);
    expect(message).toContain(`has ${named}, which IAM cannot store in a tag`);
    expect(message).toContain('tags hold only letters, numbers, spaces and _ . : / = + - @');
    expect(message).toMatch(new RegExp(`; did you mean ${JSON.stringify(nearest)}\\?$`));
    // The suggestion is itself accepted.
    expect(check(withPerson({ displayName: nearest })).problems).toEqual([]);
  });

  it('counts characters, not UTF-16 units, for the position', () => {
    expect(only('😀😀!')).toContain('at character 1');
    expect(firstRefused('𝒜𝒜!')).toEqual({ char: '!', position: 3 });
  });

  it.each(['अनीता', 'সুমিত', 'தமிழ்', 'สมศักดิ์'])(
    'refuses %s (vowels written as combining marks, which IAM does not count as letters) and suggests nothing',
    (name) => {
      const message = only(name);
      expect(message).toMatch(/\(U\+[0-9A-F]{4}, a combining mark\) at character \d+/);
      expect(message).toContain(
        'cannot be stored as written: write it in Latin letters, or leave it out',
      );
      expect(message).not.toContain('did you mean');
    },
  );

  it('shows a combining mark after its letter, and an invisible one escaped', () => {
    expect(tagRefusal('अनीता')).toMatch(/^has "नी" \(U\+0940, a combining mark\) at character 3/);
    expect(tagRefusal('Dana\u200bOkafor')).toMatch(
      /^has "\\u200b" \(U\+200B ZERO WIDTH SPACE\) at character 5/,
    );
  });

  it('drops marks only from letters that read the same without them', () => {
    // "q̃" has no composed form: NFC leaves the mark, IAM refuses it.
    expect(nearestTagText('Iq\u0303bal!')).toBe('Iqbal');
    expect(nearestTagText('अनीता')).toBeUndefined();
    expect(nearestTagText('Alice')).toBeUndefined();
  });

  it('never suggests a different address for an email IAM cannot store', () => {
    const { problems } = check(withPerson({ email: "o'neil@example.com" }));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(`has "'" (U+0027 APOSTROPHE) at character 2`);
    expect(problems[0].message).not.toContain('did you mean');
    expect(problems[0].message).not.toContain('hyphen');
  });

  it('labels a character by name when it knows one, else by category', () => {
    expect(characterLabel("'")).toBe('U+0027 APOSTROPHE');
    expect(characterLabel('\u0301')).toBe('U+0301, a combining mark');
    expect(characterLabel('\u00a7')).toBe('U+00A7, punctuation');
  });

  it('refuses exactly what the schema refuses (any code points)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), (s) => {
        const accepted = userSchema.safeParse({
          userName: 'dana',
          email: 'dana@example.com',
          displayName: s,
        }).success;
        expect(tagRefusal(s) === undefined).toBe(accepted);
        const near = nearestTagText(s);
        if (near !== undefined) expect(tagRefusal(near)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the display name and the email agree on its length', () => {
  const render = (displayName: string) =>
    renderWelcomeEmail({
      userName: 'dana',
      displayName,
      email: 'dana@example.com',
      signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
      organisationName: 'Example',
      helpContact: 'it@example.com',
      password: 'placeholder',
      mfaRequired: false,
      issuedAtMs: Date.UTC(2026, 11, 2),
    });

  it(`accepts ${DISPLAY_NAME_MAX} characters, which the email shows whole`, () => {
    const name = 'Ana '.repeat(DISPLAY_NAME_MAX / 4 - 1) + 'Lima';
    expect(name).toHaveLength(DISPLAY_NAME_MAX);
    expect(check(withPerson({ displayName: name })).problems).toEqual([]);
    expect(render(name).text).toContain(name);
  });

  it(`refuses ${DISPLAY_NAME_MAX + 1}, naming IAM's limit`, () => {
    const { problems } = check(withPerson({ displayName: 'a'.repeat(DISPLAY_NAME_MAX + 1) }));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^is longer than IAM's 256 characters for a display name/),
    ]);
  });
});

describe('tag keys JavaScript objects reserve', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s by name', (key) => {
    // Written as text: JSON.stringify of an object literal cannot hold "__proto__" as a key.
    const text = `{"users": [{"userName": "dana", "email": "dana@example.com", "tags": {"team": "a", "${key}": "x"}}]}`;
    const { problems } = check(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: `$.users[0].tags.${key}`, line: 1 });
    expect(problems[0].message).toContain(
      `the tag key "${key}" is one of __proto__, constructor, prototype`,
    );
  });

  it('accepts keys that only contain those words', () => {
    expect(check(withPerson({ tags: { proto: 'a', 'my-constructor': 'b' } })).problems).toEqual([]);
  });
});
