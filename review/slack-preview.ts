/**
 * A Slack welcome DM as a reviewer sees it in a browser: the Block Kit blocks
 * the function sends (handlers/welcome/core/slack-message.ts) drawn as HTML,
 * close to Slack's own look. Only the subset that message uses is drawn;
 * a block of another type is shown as such, never dropped silently.
 *
 * The mrkdwn texts arrive escaped for Slack (`&amp;`, `&lt;`, `&gt;`), which
 * is also the escaping HTML text needs; `"` and `'` are escaped on top, and
 * only `*bold*` and line breaks become markup. Preformatted text is raw, so
 * it is HTML-escaped whole.
 */
import type { SlackBlock, WelcomeSlackMessage } from '../handlers/welcome/core/slack-message';
import { escapeHtml } from '../handlers/welcome/core/text';

/** mrkdwn (already Slack-escaped) to HTML: quotes escaped, *bold* and newlines drawn. */
export function mrkdwnToHtml(mrkdwn: string): string {
  return mrkdwn
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s.,:;)])/g, '$1<strong>$2</strong>')
    .replace(/\n/g, '<br>');
}

const FONT = "font-family:'Lato','Helvetica Neue',Arial,sans-serif";

function blockHtml(block: SlackBlock): string {
  switch (block.type) {
    case 'header':
      return `<div style="font-size:18px;font-weight:900;margin:0 0 8px 0">${escapeHtml(block.text.text)}</div>`;
    case 'section':
      return `<div style="margin:0 0 8px 0">${mrkdwnToHtml(block.text.text)}</div>`;
    case 'rich_text':
      return block.elements
        .map(
          (e) =>
            `<pre style="margin:0 0 8px 0;padding:8px;border:1px solid #dddddd;border-radius:4px;background:#f8f8f8;font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all">${escapeHtml(e.elements.map((t) => t.text).join(''))}</pre>`,
        )
        .join('\n');
    case 'context':
      return `<div style="margin:0 0 8px 0;color:#616061;font-size:12px">${block.elements.map((e) => mrkdwnToHtml(e.text)).join(' ')}</div>`;
    case 'divider':
      return '<hr style="border:0;border-top:1px solid #dddddd;margin:8px 0">';
    default:
      return `<div style="color:#b00">(block of type ${escapeHtml(String((block as { type?: unknown }).type))} not drawn)</div>`;
  }
}

/** The DM as one HTML page: who it goes to, the notification text, then the message. */
export function renderSlackPreviewHtml(
  message: WelcomeSlackMessage,
  to: { readonly userName: string; readonly email: string },
): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Slack direct message preview</title></head>',
    `<body style="margin:0;padding:16px;background:#f4f5f7;${FONT};font-size:15px;line-height:22px;color:#1d1c1d">`,
    `<p style="color:#616061;font-size:13px">Slack direct message to the Slack member with the address ${escapeHtml(to.email)} (IAM user ${escapeHtml(to.userName)}). ` +
      `Notification text: <q>${mrkdwnToHtml(message.text)}</q></p>`,
    '<div style="max-width:640px;padding:12px 16px;background:#ffffff;border:1px solid #dddddd;border-radius:8px;word-wrap:break-word;overflow-wrap:anywhere">',
    ...message.blocks.map(blockHtml),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
