/**
 * Making outside values safe where they end up: HTML bodies, one-line text
 * (subjects, names) and mail headers. Tag values and environment settings are
 * written by people, so none of them is trusted to be well-formed.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// C0/C1 controls, DEL, and Unicode line/paragraph separators: any of them can
// start a new header line or hide text in some mail client.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * One line of text with no control characters (so no CR/LF header injection),
 * runs of whitespace collapsed, cut to `maxLength` characters.
 */
export function singleLine(value: string, maxLength = 200): string {
  const flat = value.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

/** True when `value` contains anything `singleLine` would change other than edge spaces. */
export function hasControlChars(value: string): boolean {
  return new RegExp(CONTROL_CHARS.source).test(value);
}

// Deliberately ASCII and conservative: SES v1 needs ASCII local parts, and an
// address that does not match is a roster mistake worth a logged skip.
const EMAIL_PATTERN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** The address when `value` is one plain, header-safe email address; undefined otherwise. */
export function parseEmailAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 254 || !EMAIL_PATTERN.test(trimmed)) return undefined;
  const localPart = trimmed.slice(0, trimmed.lastIndexOf('@'));
  return localPart.length <= 64 ? trimmed : undefined;
}

/**
 * Formats a From header value: `addr` or `Name <addr>`, as SES v1 expects it.
 * A display name is quoted, and MIME-encoded (RFC 2047) when it is not ASCII,
 * which SES requires for non-ASCII names.
 */
export function formatMailbox(address: string, displayName?: string): string {
  const name = displayName === undefined ? '' : singleLine(displayName, 100);
  if (name === '') return address;
  if (/^[\x20-\x7e]*$/.test(name)) {
    return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
  }
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;
}

/**
 * Reads a configured sender, `addr` or `Name <addr>`, into its parts;
 * undefined when it is not exactly that (e.g. it contains CR/LF or two addresses).
 */
export function parseMailbox(value: string): { address: string; displayName?: string } | undefined {
  if (hasControlChars(value)) return undefined;
  const trimmed = value.trim();
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  if (!angle) {
    const address = parseEmailAddress(trimmed);
    return address ? { address } : undefined;
  }
  const address = parseEmailAddress(angle[2]);
  if (!address) return undefined;
  const name = angle[1]
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/\\(["\\])/g, '$1');
  if (/[<>]/.test(name)) return undefined;
  return name === '' ? { address } : { address, displayName: name };
}
