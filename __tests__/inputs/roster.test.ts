import { readFileSync } from 'node:fs';
import { InputFileError, type Problem } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { loadRoster, validateRoster, type Roster } from '../../inputs/roster';

const FILE = 'users.json';

/** A minimal valid roster to break one field at a time. */
function base(): { groups: Record<string, unknown>[]; users: Record<string, unknown>[] } {
  return {
    groups: [{ groupName: 'developers', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }],
    users: [
      {
        userName: 'alice',
        email: 'alice@example.com',
        displayName: 'Alice Martin',
        groups: ['developers'],
      },
      { userName: 'bob', email: 'bob@example.com' },
    ],
  };
}

function validateText(text: string): Roster {
  return validateRoster(parseJsonDocument(FILE, text));
}

function problemsOfText(text: string): Problem[] {
  try {
    validateText(text);
  } catch (err) {
    if (err instanceof InputFileError) return [...err.problems];
    throw err;
  }
  throw new Error('expected the roster to be rejected');
}

/** Problems as `path (subject): message`, the part of each report that names where and what. */
function problems(value: unknown): string[] {
  return problemsOfText(JSON.stringify(value, null, 2)).map(
    (p) => `${p.path}${p.subject ? ` (${p.subject})` : ''}: ${p.message}`,
  );
}

function withUser(patch: Record<string, unknown>, index = 0) {
  const r = base();
  r.users[index] = { ...r.users[index], ...patch };
  return r;
}

describe('the shipped roster', () => {
  it('is valid and lists people with their groups', () => {
    const roster = loadRoster('users/users.json');
    expect(roster.users.length).toBeGreaterThan(0);
    for (const u of roster.users) {
      for (const g of u.groups) expect(roster.groups.map((x) => x.groupName)).toContain(g);
    }
  });

  it('refers to the committed JSON Schema', () => {
    const raw = JSON.parse(readFileSync('users/users.json', 'utf8')) as { $schema?: string };
    expect(raw.$schema).toBe('./users.schema.json');
  });
});

describe('a valid roster', () => {
  it('fills defaults: no groups, no policies', () => {
    const roster = validateText(
      JSON.stringify({
        groups: [{ groupName: 'g' }],
        users: [{ userName: 'a', email: 'a@example.com' }],
      }),
    );
    expect(roster.groups[0].policies).toEqual([]);
    expect(roster.users[0].groups).toEqual([]);
  });

  it('accepts every character IAM allows in names, and non-Latin display names', () => {
    const r = base();
    r.users.push({
      userName: 'a+b=c,d.e@f_g-h',
      email: 'a.b+c@mail.example.co.uk',
      displayName: 'Zoë Ångström 李',
    });
    r.users.push({ userName: 'x'.repeat(64), email: 'x@example.org' });
    expect(validateText(JSON.stringify(r)).users).toHaveLength(4);
  });

  it('accepts a user in no group and a group with no user', () => {
    const r = base();
    r.groups.push({ groupName: 'auditors', policies: [] });
    expect(() => validateText(JSON.stringify(r))).not.toThrow();
  });
});

describe('JSON syntax', () => {
  it('calls a trailing comma one, at the comma itself', () => {
    const text = '{\n  "users": [\n    { "userName": "a", "email": "a@example.com" },\n  ]\n}\n';
    const [p, ...rest] = problemsOfText(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 3, column: 50 });
    expect(p.message).toMatch(
      /^JSON syntax error: trailing comma;.*remove this one \(before "\]"\)$/,
    );
    const [q] = problemsOfText('{\n  "users": [],\n}');
    expect(q).toMatchObject({ line: 2, column: 14 });
    expect(q.message).toMatch(/trailing comma.*\(before "\}"\)/);
  });

  it('hints at double quotes for single-quoted strings and keys', () => {
    const [p] = problemsOfText("{\n  'users': []\n}");
    expect(p).toMatchObject({
      line: 2,
      column: 3,
      message:
        'JSON syntax error: single quotes; JSON strings and field names need double quotes: write "users" instead of \'users\'',
    });
    const [q] = problemsOfText('{"users": [{"userName": \'it\\\'s\'}]}');
    expect(q.message).toMatch(
      /single quotes; JSON strings and field names need double quotes \("like this"\)$/,
    );
  });

  it.each([5_000, 100_000])(
    'refuses a file nested %i levels deep with one clear problem, not a stack overflow',
    (depth) => {
      const text = `{"users": [{"userName": "a", "email": "a@example.com", "tags": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
      const problems = problemsOfText(text);
      expect(problems).toHaveLength(1);
      // Four levels are open where the run starts: its 29th bracket is the 33rd level.
      expect(problems[0]).toMatchObject({ path: '$', line: 1, column: text.indexOf('[[') + 29 });
      expect(problems[0].message).toMatch(/^nested too deeply: more than 32 levels/);
      // Broken as well as deep: still the depth, before any parser recurses.
      expect(problemsOfText(text.slice(0, -3))[0].message).toMatch(/^nested too deeply/);
    },
  );

  it('counts brackets inside strings as text, not nesting', () => {
    const deepText = '['.repeat(40);
    const found = problems(withUser({ tags: { note: deepText } }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\$\.users\[0\]\.tags\.note .*U\+005B LEFT SQUARE BRACKET/);
  });

  it('rejects comments, which plain JSON does not have', () => {
    const [p] = problemsOfText('{\n  // people\n  "users": []\n}');
    expect(p).toMatchObject({
      line: 2,
      column: 3,
      message: 'JSON syntax error: comments are not allowed in JSON; found "// people"',
    });
  });

  it('reports a missing comma where it is missing', () => {
    const [p] = problemsOfText('{\n  "groups": []\n  "users": []\n}');
    expect(p).toMatchObject({
      line: 3,
      column: 3,
      message: 'JSON syntax error: a comma was expected; found "users"',
    });
  });

  it('reports an unclosed string', () => {
    const [p] = problemsOfText('{"users": [{"userName": "a}]}');
    expect(p?.message).toBe('JSON syntax error: the string is not closed; found "\\"a}]}"');
  });

  it('rejects a key given twice, which JSON.parse would silently resolve to the last', () => {
    const text =
      '{\n  "users": [\n    { "userName": "a", "email": "a@example.com",\n      "email": "b@example.com" }\n  ],\n  "users": []\n}';
    expect(problemsOfText(text)).toEqual([
      {
        path: '$.users[0].email',
        message:
          'the key "email" appears twice in this object (first at line 3); JSON keeps only the last',
        line: 4,
        column: 7,
      },
      {
        path: '$.users',
        message:
          'the key "users" appears twice in this object (first at line 2); JSON keeps only the last',
        line: 6,
        column: 3,
      },
    ]);
  });

  it('finds a repeated key however it is written, and only keys of the same object', () => {
    expect(problemsOfText('{"users": [], "\\u0075sers": []}')).toEqual([
      expect.objectContaining({ path: '$.users', line: 1, column: 15 }),
    ]);
    const fine = JSON.stringify({
      groups: [{ groupName: 'users' }, { groupName: 'g', policies: [] }],
      users: [{ userName: 'groups', email: 'groups@example.com', tags: { users: 'groups' } }],
    });
    expect(() => validateText(fine)).not.toThrow();
  });

  it('rejects an empty file', () => {
    expect(problemsOfText('')[0]?.message).toBe(
      'JSON syntax error: a value was expected; found the end of the file',
    );
  });

  it('reports a missing file by its name', () => {
    expect(() => loadRoster('users/no-such-roster.json')).toThrow(
      'users/no-such-roster.json $: cannot read the file: file not found',
    );
  });
});

describe('structure', () => {
  it('requires an object with users', () => {
    expect(problems([])).toEqual([
      '$: the roster must be a JSON object with "groups" and "users"; found []',
    ]);
    expect(problems({ groups: [] })).toEqual(['$.users: is required']);
  });

  it('rejects unknown fields everywhere, so that a typo never passes silently', () => {
    const r = base();
    (r as Record<string, unknown>).user = [];
    r.groups[0].policy = [];
    r.users[1] = { userName: 'bob', emial: 'bob@example.com', email: 'bob@example.com' };
    expect(problems(r)).toEqual([
      '$.groups[0].policy (group "developers"): unknown field "policy" (check the spelling; unknown fields are not allowed)',
      '$.users[1].emial (user "bob"): unknown field "emial" (check the spelling; unknown fields are not allowed)',
      '$.user: unknown field "user" (check the spelling; unknown fields are not allowed)',
    ]);
  });

  it('requires the email and the user name', () => {
    const r = base();
    r.users[1] = { userName: 'bob' };
    r.users.push({ email: 'carol@example.com' });
    expect(problems(r)).toEqual([
      '$.users[1].email (user "bob"): is required',
      '$.users[2].userName: is required',
    ]);
  });

  it('says "is required" for any missing field, and the type for a wrong one', () => {
    expect(problems({ groups: [{ policies: [] }] })).toEqual([
      // A missing field is positioned at its object: the root comes first.
      '$.users: is required',
      '$.groups[0].groupName: is required',
    ]);
    expect(problems({ users: 'alice' })).toEqual([
      '$.users: must be a list of users; found "alice"',
    ]);
    expect(problems(withUser({ email: null }))).toEqual([
      '$.users[0].email (user "alice"): must be a string; found null',
    ]);
  });
});

describe('user names (IAM rules)', () => {
  it.each([
    [
      'alice smith',
      'may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "alice smith"',
    ],
    [
      'alice/smith',
      'may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "alice/smith"',
    ],
    [
      'ålice',
      'may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "ålice"',
    ],
    [
      'alice\t',
      'may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "alice\\t"; did you mean "alice"?',
    ],
    ['', 'must not be empty; found ""'],
    [
      'a'.repeat(65),
      `is longer than IAM's 64 characters for a user name; found "${'a'.repeat(59)}…" (65 characters)`,
    ],
  ])('rejects %j', (userName, message) => {
    expect(problems(withUser({ userName }))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\$\\.users\\[0\\]\\.userName.*: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        ),
      ),
    );
  });

  it('rejects names that differ only in case, as IAM does', () => {
    expect(problems(withUser({ userName: 'ALICE' }, 1))).toEqual([
      '$.users[1].userName (user "ALICE"): duplicates user "alice" on line 12 (IAM user names are unique ignoring case); found "ALICE"',
    ]);
  });
});

describe('email addresses', () => {
  const RULE = 'is not one email address like "name@example.com"';
  it.each([
    ['alice', `${RULE}: it has no @; found "alice"`],
    ['alice@', `${RULE}: there is nothing after the @; found "alice@"`],
    ['@example.com', `${RULE}: there is nothing before the @; found "@example.com"`],
    [
      'alice@example',
      `${RULE}: the domain after the @ has no dot (e.g. "example.com"); found "alice@example"`,
    ],
    [
      'a@b@example.com',
      `${RULE}: it has more than one @ (give one address only); found "a@b@example.com"`,
    ],
    [
      'alice smith@example.com',
      `${RULE}: it contains a space, a tab or a line break; found "alice smith@example.com"`,
    ],
    [
      'alice@example.com, bob@example.com',
      `${RULE}: it has more than one @ (give one address only); found "alice@example.com, bob@example.com"`,
    ],
    [
      'alice@-example.com',
      `${RULE}: a part of the domain starts or ends with a hyphen; found "alice@-example.com"`,
    ],
    [
      'alice@example.c0m',
      `${RULE}: the domain does not end in a top-level domain of 2 to 63 letters (such as ".com"); found "alice@example.c0m"`,
    ],
    [
      'alicé@example.com',
      `${RULE}: it contains a character that is not plain ASCII (SES needs an ASCII address); found "alicé@example.com"`,
    ],
    [
      `${'a'.repeat(65)}@example.com`,
      `${RULE}: the part before the @ is longer than 64 characters; found "${'a'.repeat(59)}…" (77 characters)`,
    ],
    // The welcome function refuses these dot-atom mistakes; the roster used to
    // accept them, creating users who silently never got their email.
    [
      'a..b@example.com',
      `${RULE}: the part before the @ has two dots in a row; found "a..b@example.com"; did you mean "a.b@example.com"?`,
    ],
    [
      'a.@example.com',
      `${RULE}: the part before the @ starts or ends with a dot; found "a.@example.com"`,
    ],
    // Found by the drift property test: a numeric-looking value JSON cannot
    // parse once crashed the repair suggestion instead of being reported.
    ['00', `${RULE}: it has no @; found "00"`],
    // A valid address IAM cannot store in the tag the function reads it from.
    [
      "o'neil@example.com",
      `has "'" (U+0027 APOSTROPHE) at character 2, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM's rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]) (the address is stored in a tag): use only letters, digits and . _ / = + - before the @; found "o'neil@example.com"`,
    ],
    // Values a simple repair makes valid come with the repaired address.
    [
      ' alice@example.com',
      `${RULE}: it contains a space, a tab or a line break; found " alice@example.com"; did you mean "alice@example.com"?`,
    ],
    [
      'alice@example.com.',
      `${RULE}: the domain after the @ starts or ends with a dot, or has two dots in a row; found "alice@example.com."; did you mean "alice@example.com"?`,
    ],
    [
      'alice@example.com\t',
      `${RULE}: it contains a space, a tab or a line break; found "alice@example.com\\t"; did you mean "alice@example.com"?`,
    ],
    [
      '\u200balice@example.com',
      `${RULE}: it contains an invisible character; found "\\u200balice@example.com"; did you mean "alice@example.com"?`,
    ],
    [
      'alice@example.com\u00a0',
      `${RULE}: it contains a space, a tab or a line break; found "alice@example.com\\u00a0"; did you mean "alice@example.com"?`,
    ],
    [
      'alice @ example.com',
      `${RULE}: it contains a space, a tab or a line break; found "alice @ example.com"; did you mean "alice@example.com"?`,
    ],
    [
      'Alice <alice@example.com>',
      `${RULE}: it has < or > (give the address alone, without a name); found "Alice <alice@example.com>"; did you mean "alice@example.com"?`,
    ],
    [
      'mailto:alice@example.com',
      `${RULE}: the part before the @ may contain only letters, digits, dots and ! # $ % & ' * + - / = ? ^ _ \` { | } ~; found "mailto:alice@example.com"; did you mean "alice@example.com"?`,
    ],
    [
      'alice@@example..com',
      `${RULE}: it has more than one @ (give one address only); found "alice@@example..com"; did you mean "alice@example.com"?`,
    ],
  ])('rejects %j', (email, message) => {
    expect(problems(withUser({ email }))).toEqual([`$.users[0].email (user "alice"): ${message}`]);
  });

  it('accepts the dot-atom forms the function accepts', () => {
    for (const email of ['a.b+c@mail.example.co.uk', 'x_y=z/1-2@xn--bcher-kva.example', 'A@B.CD']) {
      expect(
        validateText(JSON.stringify({ users: [{ userName: 'a', email }] })).users[0].email,
      ).toBe(email);
    }
  });

  it('reports the problem at the entry it is in', () => {
    const r = base();
    r.users[1].email = 'a..b@example.com';
    expect(problemsOfText(JSON.stringify(r, null, 2))).toEqual([
      expect.objectContaining({
        path: '$.users[1].email',
        subject: 'user "bob"',
        message: expect.stringContaining('two dots in a row') as unknown,
      }),
    ]);
  });

  it('rejects two people with one address, ignoring case', () => {
    expect(problems(withUser({ email: 'Alice@Example.com' }, 1))).toEqual([
      '$.users[1].email (user "bob"): is also the address of user "alice" on line 13; each person needs their own address; found "Alice@Example.com"',
    ]);
  });
});

describe('groups', () => {
  it('requires every referenced group to be defined, spelled the same', () => {
    expect(problems(withUser({ groups: ['developers', 'admins', 'Developers'] }))).toEqual([
      '$.users[0].groups[1] (user "alice"): refers to group "admins", which is not defined in $.groups',
      '$.users[0].groups[2] (user "alice"): lists group "Developers" twice',
      '$.users[0].groups[2] (user "alice"): refers to group "Developers", but the group is defined as "developers"; use the same spelling',
    ]);
  });

  it('rejects more than 9 groups per user: IAM allows 10 and the project uses one', () => {
    const r = base();
    const names = Array.from({ length: 10 }, (_, i) => `g${i}`);
    r.groups = names.map((groupName) => ({ groupName }));
    r.users[0].groups = names.slice(0, 9);
    expect(() => validateText(JSON.stringify(r))).not.toThrow();
    r.users[0].groups = names;
    expect(problems(r)).toEqual([
      '$.users[0].groups (user "alice"): lists more than 9 groups (IAM allows 10 per user, and every user is also in "iam-onboarding-users"); found ["g0","g1","g2","g3","g4","g5","g6","g7","g8","g9"]',
    ]);
  });

  it("reserves the project's own group name", () => {
    const r = base();
    r.groups.push({ groupName: 'IAM-Onboarding-Users' });
    expect(problems(r)).toEqual([
      '$.groups[1].groupName (group "IAM-Onboarding-Users"): "iam-onboarding-users" is the group this project puts every user in; choose another name; found "IAM-Onboarding-Users"',
    ]);
  });

  it('rejects duplicate and malformed group names', () => {
    const r = base();
    r.groups.push(
      { groupName: 'Developers' },
      { groupName: 'ops team' },
      { groupName: 'g'.repeat(129) },
    );
    expect(problems(r)).toEqual([
      '$.groups[1].groupName (group "Developers"): duplicates group "developers" on line 4 (IAM group names are unique ignoring case); found "Developers"',
      '$.groups[2].groupName (group "ops team"): may contain only letters, digits and + = , . @ _ - (IAM group name rules); found "ops team"',
      `$.groups[3].groupName (group "${'g'.repeat(59)}…"): is longer than IAM's 128 characters for a group name; found "${'g'.repeat(59)}…" (129 characters)`,
    ]);
  });
});

describe('managed policy ARNs', () => {
  it.each([
    'ReadOnlyAccess',
    'arn:aws:iam::aws:role/ReadOnlyAccess',
    'arn:aws:iam::12345:policy/x',
    'arn:aws:s3:::bucket',
    'arn:aws:iam::aws:policy/',
  ])('rejects %j', (arn) => {
    const r = base();
    r.groups[0].policies = [arn];
    expect(problems(r)).toEqual([
      `$.groups[0].policies[0] (group "developers"): is not a managed policy ARN like "arn:aws:iam::aws:policy/ReadOnlyAccess" or "arn:aws:iam::123456789012:policy/name"; found "${arn}"`,
    ]);
  });

  it('accepts paths, customer policies and other partitions', () => {
    const r = base();
    r.groups[0].policies = [
      'arn:aws:iam::aws:policy/job-function/Billing',
      'arn:aws:iam::123456789012:policy/team/platform/deploy',
      'arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess',
    ];
    expect(() => validateText(JSON.stringify(r))).not.toThrow();
  });

  it('rejects a policy listed twice and more than 20 policies', () => {
    const r = base();
    r.groups[0].policies = ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/A'];
    r.groups.push({
      groupName: 'many',
      policies: Array.from({ length: 21 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`),
    });
    expect(problems(r)).toEqual([
      '$.groups[0].policies[1] (group "developers"): is listed twice; found "arn:aws:iam::aws:policy/A"',
      '$.groups[1].policies (group "many"): lists more than IAM\'s 20 managed policies per group; found a list of 21 items',
    ]);
  });
});

describe('tags (IAM limits)', () => {
  it.each([
    [
      { 'aws:team': 'x' },
      '$.users[0].tags["aws:team"]',
      'a tag key may not start with "aws:" (reserved by AWS); found "aws:team"',
    ],
    [
      { 'AWS:team': 'x' },
      '$.users[0].tags["AWS:team"]',
      'a tag key may not start with "aws:" (reserved by AWS); found "AWS:team"',
    ],
    [
      { 'IAM-Onboarding:welcomed': 'x' },
      '$.users[0].tags["IAM-Onboarding:welcomed"]',
      'a tag key may not start with "iam-onboarding:" (the welcome function writes those tags); found "IAM-Onboarding:welcomed"',
    ],
    [
      { Email: 'x' },
      '$.users[0].tags.Email',
      'a tag key may not be one of managed-by, email, display-name, resend-welcome, resend-after-sign-in, renamed-from, suspended, access-until, delivery-channel (this project sets them); found "Email"',
    ],
    [
      { ['k'.repeat(129)]: 'x' },
      `$.users[0].tags.${'k'.repeat(129)}`,
      `a tag key is longer than IAM's 128 characters; found "${'k'.repeat(59)}…" (129 characters)`,
    ],
    [
      { team: 'v'.repeat(257) },
      '$.users[0].tags.team',
      `is longer than IAM's 256 characters for a tag value; found "${'v'.repeat(59)}…" (257 characters)`,
    ],
    [
      { team: 'a&b' },
      '$.users[0].tags.team',
      'has "&" (U+0026 AMPERSAND) at character 2, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM\'s rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]); found "a&b"; did you mean "a and b"?',
    ],
    [
      { 'team#': 'x' },
      '$.users[0].tags["team#"]',
      'the tag key has "#" (U+0023 NUMBER SIGN) at character 5, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM\'s rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]); found "team#"',
    ],
    [{ team: 3 }, '$.users[0].tags.team', 'must be a string; found 3; did you mean "3"?'],
  ])('rejects %j', (tags, path, message) => {
    expect(problems(withUser({ tags }))).toEqual([`${path} (user "alice"): ${message}`]);
  });

  it('counts the tags this project sets against the limit of 50', () => {
    // alice has a display name, so the project sets 3 tags and 47 remain.
    const tags = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'x']));
    expect(() => validateText(JSON.stringify(withUser({ tags: tags(47) })))).not.toThrow();
    expect(problems(withUser({ tags: tags(48) }))).toEqual([
      '$.users[0].tags (user "alice"): has 48 tags; with the 3 this project sets that exceeds IAM\'s 50 tags per user; found an object with 48 fields',
    ]);
  });

  it('rejects tag keys that differ only in case', () => {
    expect(problems(withUser({ tags: { Team: 'a', team: 'b' } }))).toEqual([
      '$.users[0].tags.team (user "alice"): tag key "team" duplicates "Team" (IAM tag keys on users are unique ignoring case)',
    ]);
  });

  it('holds display names to the same rules, since they become a tag', () => {
    expect(problems(withUser({ displayName: "Seán O'Brien" }))).toEqual([
      '$.users[0].displayName (user "alice"): has "\'" (U+0027 APOSTROPHE) at character 7, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM\'s rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]); an apostrophe can go or become a hyphen ("O-Kafor"); found "Seán O\'Brien"; did you mean "Seán OBrien"?',
    ]);
    expect(problems(withUser({ displayName: '' }))).toEqual([
      '$.users[0].displayName (user "alice"): must not be empty; leave the field out instead; found ""',
    ]);
  });
});

describe('reporting', () => {
  it('reports every problem at once, in file order, with line and column', () => {
    const text = [
      '{',
      '  "groups": [{ "groupName": "dev" }],',
      '  "users": [',
      '    { "userName": "alice", "email": "nope", "groups": ["ops"] },',
      '    { "userName": "bad name", "email": "b@example.com", "extra": 1 }',
      '  ]',
      '}',
    ].join('\n');
    const err = (() => {
      try {
        validateText(text);
      } catch (e) {
        return e as InputFileError;
      }
      throw new Error('expected failure');
    })();
    expect(err).toBeInstanceOf(InputFileError);
    expect(err.message.split('\n')).toEqual([
      'users.json has 4 problems:',
      '  - users.json:4:28 $.users[0].email (user "alice"): is not one email address like "name@example.com": it has no @; found "nope"',
      '  - users.json:4:56 $.users[0].groups[0] (user "alice"): refers to group "ops", which is not defined in $.groups',
      '  - users.json:5:7 $.users[1].userName (user "bad name"): may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "bad name"',
      '  - users.json:5:57 $.users[1].extra (user "bad name"): unknown field "extra" (check the spelling; unknown fields are not allowed)',
    ]);
  });
});

describe('values and suggested fixes in the messages', () => {
  it('suggests the field probably meant for an unknown one, each at its own key', () => {
    const r = base();
    r.users[1] = { userName: 'bob', emial: 'bob@example.com', grups: [], colour: 'red' };
    expect(problems(r)).toEqual([
      '$.users[1].email (user "bob"): is required',
      '$.users[1].emial (user "bob"): unknown field "emial" (check the spelling; unknown fields are not allowed); did you mean "email"?',
      '$.users[1].grups (user "bob"): unknown field "grups" (check the spelling; unknown fields are not allowed); did you mean "groups"?',
      '$.users[1].colour (user "bob"): unknown field "colour" (check the spelling; unknown fields are not allowed)',
    ]);
    // A key with a stray space or an invisible character: shown, and the field meant.
    const k = base();
    k.users[1] = { userName: 'bob', 'email\u200b': 'bob@example.com' };
    expect(problems(k)).toContainEqual(
      '$.users[1]["email\\u200b"] (user "bob"): unknown field "email\\u200b" (check the spelling; unknown fields are not allowed); did you mean "email"?',
    );
    const g = base();
    g.groups[0] = { groupName: 'developers', polices: [] };
    expect(problems(g)).toEqual([
      '$.groups[0].polices (group "developers"): unknown field "polices" (check the spelling; unknown fields are not allowed); did you mean "policies"?',
    ]);
  });

  it('suggests the closest defined group for an unknown one, only when it is close', () => {
    const r = base();
    r.groups.push({ groupName: 'support' }, { groupName: 'billing' });
    r.users[0].groups = ['suport', 'DEVELOPER', 'admins'];
    expect(problems(r)).toEqual([
      '$.users[0].groups[0] (user "alice"): refers to group "suport", which is not defined in $.groups; did you mean "support"?',
      '$.users[0].groups[1] (user "alice"): refers to group "DEVELOPER", which is not defined in $.groups; did you mean "developers"?',
      '$.users[0].groups[2] (user "alice"): refers to group "admins", which is not defined in $.groups',
    ]);
  });

  it('shows invisible characters in values, subjects and paths, and suggests the value without them', () => {
    const r = base();
    r.users[0] = {
      userName: 'alice\u200b',
      email: 'alice@example.com',
      displayName: 'Alice\nMartin',
      tags: { 'team\u200b': 'x' },
    };
    expect(problems(r)).toEqual([
      '$.users[0].userName (user "alice\\u200b"): may contain only letters, digits and + = , . @ _ - (IAM user name rules); found "alice\\u200b"; did you mean "alice"?',
      '$.users[0].displayName (user "alice\\u200b"): has "\\n" (U+000A LINE FEED) at character 6, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM\'s rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]); found "Alice\\nMartin"; did you mean "Alice Martin"?',
      '$.users[0].tags["team\\u200b"] (user "alice\\u200b"): the tag key has "\\u200b" (U+200B ZERO WIDTH SPACE) at character 5, which IAM cannot store in a tag: tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM\'s rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]); found "team\\u200b"; did you mean "team"?',
    ]);
  });

  it('puts the value and the fix into the report line', () => {
    const text = [
      '{',
      '  "groups": [{ "groupName": "support" }],',
      '  "users": [',
      '    { "userName": "bo", "email": "bo@example.com.", "groups": ["suport"] }',
      '  ]',
      '}',
    ].join('\n');
    expect(() => validateText(text)).toThrow(
      [
        'users.json has 2 problems:',
        '  - users.json:4:25 $.users[0].email (user "bo"): is not one email address like "name@example.com": the domain after the @ starts or ends with a dot, or has two dots in a row; found "bo@example.com."; did you mean "bo@example.com"?',
        '  - users.json:4:64 $.users[0].groups[0] (user "bo"): refers to group "suport", which is not defined in $.groups; did you mean "support"?',
      ].join('\n'),
    );
  });
});
