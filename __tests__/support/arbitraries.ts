/**
 * Generated inputs for the shared rules: valid values built from their parts,
 * then broken the way people break them (a doubled dot or hyphen, a pasted
 * space or invisible character, an accent, a label one character too long).
 * Mostly-valid inputs reach the deep branches of a rule; arbitrary strings
 * alone would almost all fail at the first check.
 */
import fc from 'fast-check';

const chars = (s: string) => fc.constantFrom(...Array.from(s));

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
/** RFC 5322 atext that an IAM tag value can also hold. */
const TAG_SAFE_SYMBOLS = '_=+-/';
/** RFC 5322 atext that an IAM tag value cannot hold. */
const TAG_UNSAFE_SYMBOLS = "!#$%&'*?^`{|}~";

/** Characters people paste by mistake, or that break one rule or another. */
export const TROUBLE = [
  '.',
  '..',
  '-',
  '--',
  '@',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u200b',
  '\ufeff',
  'é',
  'а', // Cyrillic a
  '\u{1f600}',
  '"',
  '\\',
  '<',
  '>',
  ',',
  ';',
  ':',
  '(',
  '_',
  '+',
  "'",
  '/',
  '%',
  'A',
  'Z',
  '0',
  '9',
];

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number }
  | { kind: 'double'; at: number }
  | { kind: 'replace'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(...TROUBLE),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.constantFrom(...TROUBLE),
  }),
);

function apply(value: string, m: Mutation): string {
  const chars = Array.from(value);
  const at = chars.length === 0 ? 0 : m.at % (chars.length + 1);
  switch (m.kind) {
    case 'insert':
      chars.splice(at, 0, m.text);
      break;
    case 'delete':
      chars.splice(at, 1);
      break;
    case 'double':
      if (at < chars.length) chars.splice(at, 0, chars[at]);
      break;
    case 'replace':
      chars.splice(at, 1, m.text);
      break;
  }
  return chars.join('');
}

/** `valid` as is, or with up to three mutations. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(mutation, { maxLength: 3 }))
    .map(([value, ms]) => ms.reduce(apply, value));
}

// --- email addresses ---------------------------------------------------------

const alnum = chars(LOWER + UPPER + DIGITS);
const atextChar = fc.oneof(
  { weight: 6, arbitrary: alnum },
  { weight: 2, arbitrary: chars(TAG_SAFE_SYMBOLS) },
  { weight: 1, arbitrary: chars(TAG_UNSAFE_SYMBOLS) },
);
const atom = fc.string({ unit: atextChar, minLength: 1, maxLength: 8 });
const localPart = fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));

const ldh = fc.oneof({ weight: 8, arbitrary: alnum }, { weight: 1, arbitrary: fc.constant('-') });
const label = fc.oneof(
  alnum,
  fc
    .tuple(alnum, fc.string({ unit: ldh, maxLength: 8 }), alnum)
    .map(([a, middle, b]) => `${a}${middle}${b}`),
);
const topLabel = fc.string({ unit: chars(LOWER + UPPER), minLength: 2, maxLength: 6 });
export const domainName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), topLabel)
  .map(([labels, top]) => [...labels, top].join('.'));

/** Addresses the rule accepts, of ordinary length. */
export const validEmail = fc.tuple(localPart, domainName).map(([l, d]) => `${l}@${d}`);

/** Addresses at and around the length limits: 64 before the @, 63 per label, 254 in all. */
export const longEmail = fc
  .tuple(
    fc.integer({ min: 60, max: 66 }),
    fc.integer({ min: 60, max: 65 }),
    fc.integer({ min: 0, max: 4 }),
  )
  .map(([localLength, labelLength, labels]) => {
    const local = 'l'.repeat(localLength);
    const domain = [...Array.from({ length: labels }, () => 'd'.repeat(labelLength)), 'com'];
    return `${local}@${domain.join('.')}`;
  });

/** What the email properties run on: near-valid addresses, long ones and arbitrary text. */
export const emailCandidate: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutated(validEmail) },
  { weight: 2, arbitrary: mutated(longEmail) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

// --- senders -----------------------------------------------------------------

const plainName = fc
  .array(
    fc.string({
      unit: chars(LOWER + UPPER + DIGITS + "!#$%&'*+-/=?^_`{|}~"),
      minLength: 1,
      maxLength: 6,
    }),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((words) => words.join(' '));
const quotedName = fc
  .string({ unit: chars(`${LOWER}${UPPER} ,.;:()[]@!#`), minLength: 1, maxLength: 12 })
  .map((name) => `"${name}"`);

/** `local@domain`, `Name <local@domain>` and `"Quoted, Name" <local@domain>`, some with spaces around. */
export const validSender = fc
  .tuple(
    fc.oneof(fc.constant(undefined), plainName, quotedName, fc.constant('')),
    validEmail,
    fc.constantFrom('', ' ', '  '),
  )
  .map(([name, address, pad]) =>
    name === undefined
      ? `${pad}${address}${pad}`
      : `${pad}${name}${name ? ' ' : ''}<${address}>${pad}`,
  );

export const senderCandidate: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutated(validSender) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

// --- account aliases ---------------------------------------------------------

const aliasChar = fc.oneof(
  { weight: 6, arbitrary: chars(LOWER + DIGITS) },
  { weight: 1, arbitrary: fc.constant('-') },
);
/** Aliases IAM accepts (single hyphens inside), from 3 to 63 characters. */
export const validAlias = fc
  .tuple(
    chars(LOWER + DIGITS),
    fc.string({ unit: aliasChar, minLength: 1, maxLength: 61 }),
    chars(LOWER + DIGITS),
  )
  .map(([a, middle, b]) => `${a}${middle.replace(/-{2,}/g, '-')}${b}`);

export const aliasCandidate: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutated(validAlias) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 66 }).map((n) => 'a'.repeat(n)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
