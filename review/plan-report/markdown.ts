/**
 * Markdown for the plan report. Everything taken from the plan (names,
 * addresses, tags) goes through `md` or `code`: a roster entry cannot inject
 * Markdown, HTML, links or @-mentions into the comment, nor hide or reorder
 * text with format characters (shown as `\u202e`: a reviewer must see them).
 */
import { displayText, formatCharacters } from '../../shared/display-text';

/**
 * Text from the plan, safe inside Markdown and a table cell: no HTML, no
 * links (bare URLs defanged, shared/display-text.ts), no emphasis, no
 * @-mentions or #-references, no invisible characters, one line.
 */
export function md(value: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '|': '&#124;',
    '@': '&#64;',
    '#': '&#35;',
  };
  return displayText(value, 'show')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[&<>|@#\\`*_[\]()!~]/g, (c) => entities[c] ?? `\\${c}`);
}

/**
 * A name in code style; falls back to escaped text when it holds a backtick.
 * GitHub links nothing inside a code span, but bidi controls still reorder it.
 */
export function code(value: string): string {
  const v = formatCharacters(value, 'show')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\|/g, '&#124;');
  return /`/.test(v) ? md(value) : `\`${v}\``;
}

export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxRows: number,
): string[] {
  const shown = rows.slice(0, maxRows);
  const out = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...shown.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (rows.length > maxRows) out.push('', `… and ${rows.length - maxRows} more (see plan.json).`);
  return out;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** ` (forced by `a`, `b`)` for a replacement Terraform explains, else nothing. */
export function forcedBy(paths: readonly string[]): string {
  return paths.length ? ` (forced by ${paths.map(code).join(', ')})` : '';
}
