/**
 * What an IAM tag can hold, and how to say what it cannot. Every roster
 * string stored in a tag (the display name, the address, extra tags) is
 * checked in NFC, the form the roster synthesizes: a name typed or pasted
 * decomposed (macOS, some web forms) is the same name.
 *
 * IAM's rule is `[\p{L}\p{Z}\p{N}_.:/=+\-@]*` (the IAM API reference, `Tag`),
 * a Java pattern in which combining marks (`\p{M}`) are not letters. Scripts
 * that write vowels as marks (Devanagari, Bengali, Tamil, Thai, ...) cannot
 * be stored, however they are normalised: NFC composes them with nothing.
 * AWS documents no exception, so the check keeps to the documented pattern:
 * a value it passes that IAM then refused would fail mid-apply.
 */

import { quote } from './errors';

/** A whole value IAM accepts in a tag key or value (keys also need at least one character). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** One character IAM refuses in a tag. */
const REFUSED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/** What IAM allows in a tag, for messages. */
export const TAG_RULE_WORDS =
  "tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM's rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@])";

/**
 * Unicode names of the characters people type in names that IAM refuses
 * (the Unicode Character Database's names). The one npm package with the
 * full table (unicode-name) is ESM-only and ships megabytes of names that
 * `npm run check` would load; the rest are described by category.
 */
const CHARACTER_NAMES: Readonly<Record<string, string>> = {
  '\t': 'CHARACTER TABULATION',
  '\n': 'LINE FEED',
  '\r': 'CARRIAGE RETURN',
  '!': 'EXCLAMATION MARK',
  '"': 'QUOTATION MARK',
  '#': 'NUMBER SIGN',
  $: 'DOLLAR SIGN',
  '%': 'PERCENT SIGN',
  '&': 'AMPERSAND',
  "'": 'APOSTROPHE',
  '(': 'LEFT PARENTHESIS',
  ')': 'RIGHT PARENTHESIS',
  '*': 'ASTERISK',
  ',': 'COMMA',
  ';': 'SEMICOLON',
  '<': 'LESS-THAN SIGN',
  '>': 'GREATER-THAN SIGN',
  '?': 'QUESTION MARK',
  '[': 'LEFT SQUARE BRACKET',
  '\\': 'REVERSE SOLIDUS',
  ']': 'RIGHT SQUARE BRACKET',
  '^': 'CIRCUMFLEX ACCENT',
  '`': 'GRAVE ACCENT',
  '{': 'LEFT CURLY BRACKET',
  '|': 'VERTICAL LINE',
  '}': 'RIGHT CURLY BRACKET',
  '~': 'TILDE',
  '\u00ad': 'SOFT HYPHEN',
  '\u00b4': 'ACUTE ACCENT',
  '\u00b7': 'MIDDLE DOT',
  '\u200b': 'ZERO WIDTH SPACE',
  '\u200c': 'ZERO WIDTH NON-JOINER',
  '\u200d': 'ZERO WIDTH JOINER',
  '\u2010': 'HYPHEN',
  '\u2013': 'EN DASH',
  '\u2014': 'EM DASH',
  '\u2018': 'LEFT SINGLE QUOTATION MARK',
  '\u2019': 'RIGHT SINGLE QUOTATION MARK',
  '\u201c': 'LEFT DOUBLE QUOTATION MARK',
  '\u201d': 'RIGHT DOUBLE QUOTATION MARK',
  '\u2022': 'BULLET',
  '\ufeff': 'ZERO WIDTH NO-BREAK SPACE',
};

const CATEGORIES: readonly [RegExp, string][] = [
  [/\p{M}/u, 'a combining mark'],
  [/\p{Cf}/u, 'an invisible format character'],
  [/\p{Cc}/u, 'a control character'],
  [/\p{Cs}/u, 'half of a broken character'],
  [/\p{P}/u, 'punctuation'],
  [/\p{S}/u, 'a symbol'],
];

/** `U+0027 APOSTROPHE`, or `U+0940, a combining mark` for a character not in the table. */
export function characterLabel(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CHARACTER_NAMES[ch];
  if (name) return `${code} ${name}`;
  const category = CATEGORIES.find(([re]) => re.test(ch))?.[1];
  return category ? `${code}, ${category}` : code;
}

/** The first character IAM refuses, with its 1-based position in characters (not UTF-16 units). */
export function firstRefused(value: string): { char: string; position: number } | undefined {
  const chars = Array.from(value);
  const i = chars.findIndex((c) => REFUSED.test(c));
  return i < 0 ? undefined : { char: chars[i], position: i + 1 };
}

/** Marks on letters of scripts whose letters read fine without them ("Zoë" as "Zoe"). */
const DROPPABLE_MARK = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}*)\p{M}/gu;

/**
 * Why a value cannot be an IAM tag, naming its first refused character:
 * `has "'" (U+0027 APOSTROPHE) at character 7, which IAM cannot store in a tag: ...`.
 * Undefined when IAM accepts the value.
 */
export function tagRefusal(value: string, { hints = true } = {}): string | undefined {
  const nfc = value.normalize('NFC');
  const first = firstRefused(nfc);
  if (!first) return undefined;
  const { char, position } = first;
  // A mark alone in quotes would sit on the quote; after its letter it reads as written.
  const shown = /\p{M}/u.test(char) ? Array.from(nfc)[position - 2] + char : char;
  let text = `has ${quote(shown)} (${characterLabel(char)}) at character ${position}, which IAM cannot store in a tag: ${TAG_RULE_WORDS}`;
  if (!hints) return text;
  if (/\p{M}/u.test(char) && /\p{M}/u.test(nfc.replace(DROPPABLE_MARK, ''))) {
    text +=
      '; combining marks, which Devanagari, Bengali, Tamil, Thai and other scripts write vowels with, are not letters to IAM, so this name cannot be stored as written: write it in Latin letters, or leave it out';
  } else if (char === "'" || char === '\u2019') {
    text += '; an apostrophe can go or become a hyphen ("O-Kafor")';
  }
  return text;
}

/**
 * The nearest value IAM accepts: apostrophes and quotes dropped (`O'Kafor`
 * → `OKafor`), `&` as "and", other refused characters as spaces (`Okafor,
 * Dana` → `Okafor Dana`), marks dropped from Latin, Greek and Cyrillic
 * letters; spaces collapsed. Undefined when nothing close exists (marks of
 * other scripts: dropping them would spell another name) or nothing is left.
 */
export function nearestTagText(value: string): string | undefined {
  const nfc = value.normalize('NFC');
  if (!REFUSED.test(nfc)) return undefined;
  const withoutMarks = nfc.replace(DROPPABLE_MARK, '');
  if (/\p{M}/u.test(withoutMarks)) return undefined;
  const out = withoutMarks
    .replace(/['"`\u00b4\u2018\u2019\u201c\u201d\u00ad\p{Cf}]/gu, '')
    .replace(/\s*&\s*/g, ' and ')
    .replace(new RegExp(REFUSED.source, 'gu'), ' ')
    .replace(/\p{Z}+/gu, ' ')
    .trim();
  return out === '' || !TAG_TEXT.test(out) ? undefined : out;
}
