/**
 * Values shown to a person (the welcome email's greeting, the admins' notice
 * and its Slack message, the pull request's plan report) are data, so none
 * of them may hide text, reorder it, or turn into a link:
 *
 * - Format characters (Unicode category Cf: zero-width space and joiners, the
 *   bidi embeddings, overrides, isolates and marks, the BOM, soft hyphen…)
 *   render as nothing or reorder what follows (U+202E shows `evil\u202Etxt.exe`
 *   as `evilexe.txt`). Where the reader is the person being welcomed they are
 *   removed (`strip`: a greeting is not the place to show `\u200d`); where the
 *   reader must judge the value (admins, reviewers) they are shown as `\uXXXX`
 *   (`show`), the way the roster's own problems quote values.
 * - Bare URLs would become links in mail clients, Slack and GitHub. They are
 *   defanged the way security reports quote them: `https://evil.example/x`
 *   reads `hxxps[:]//evil[.]example/x`, `www.evil.example` reads
 *   `www[.]evil[.]example`, and a host followed by a path (`evil.example/x`)
 *   reads `evil[.]example/x`. A bare `word.word` is left alone: it is the
 *   shape of a user name (`alice.martin`), and IAM user names cannot carry
 *   `/` or `:`.
 *
 * Pure and dependency-free: the function's bundle and the build share it.
 */

/** Unicode format characters: every bidi control and zero-width character is one. */
const FORMAT = /\p{Cf}/gu;

/** A scheme and `//`: `https://`, `ftp://`, `javascript://`. */
const SCHEME = /\b([a-z][a-z0-9+.-]*):\/\//gi;
/** A host: labels of letters, digits and hyphens joined by dots, ending in a letter label. */
const HOST = String.raw`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]*`;
/** A host at a word start that a linkifier takes: after `www.`, after a scheme, or before a path or port. */
const LINKED_HOST = new RegExp(
  String.raw`(?<![\p{L}\p{N}@._-])(?:www\.${HOST}|${HOST}(?=[/?#]|:\d))|(?<=\/\/)${HOST}`,
  'giu',
);

export type FormatCharacters = 'strip' | 'show';

/** `\u202e` for U+202E: what a reader sees in place of an invisible character. */
function visible(c: string): string {
  return `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

/** Removes (`strip`) or shows as `\uXXXX` (`show`) every format character. */
export function formatCharacters(value: string, mode: FormatCharacters): string {
  return mode === 'strip' ? value.replace(FORMAT, '') : value.replace(FORMAT, visible);
}

/** Defangs what a mail client, Slack or GitHub would turn into a link. */
export function defangLinks(value: string): string {
  return value
    .replace(LINKED_HOST, (host) => host.replace(/\./g, '[.]'))
    .replace(
      SCHEME,
      (_m, scheme: string) => `${scheme.toLowerCase().replace(/^http/, 'hxxp')}[:]//`,
    );
}

/**
 * A value as shown to a person: format characters stripped or shown, links
 * defanged (format characters first, so a zero-width space cannot hide
 * `https://` from the link rule).
 */
export function displayText(value: string, format: FormatCharacters): string {
  return defangLinks(formatCharacters(value, format));
}
