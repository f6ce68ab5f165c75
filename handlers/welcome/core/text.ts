/**
 * Making outside values safe where they end up: HTML bodies, one-line text
 * (subjects, names) and mail headers. Tag values and environment settings are
 * written by people, so none of them is trusted to be well-formed.
 */
import { displayText } from '../../../shared/display-text';

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
 * How the email greets the person: their display name, else their user name,
 * with format characters removed and links defanged (shared/display-text.ts):
 * the reader is the new person, who should see neither `\u200b` nor a link
 * a roster entry planted. Both come already flattened to one line.
 */
export function greetingName(displayName: string, userName: string): string {
  const name = displayText(displayName, 'strip').trim();
  return name === '' ? displayText(userName, 'strip') : name;
}
