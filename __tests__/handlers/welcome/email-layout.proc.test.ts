/**
 * The welcome email in a real browser: every kind of email (first welcome,
 * resend, rename, redelivery, with MFA steps, long names, a 64-character
 * user name, CJK and right-to-left names) rendered by the function's own
 * renderer in headless Chromium at 320, 360 and 1000 px. It fails on
 * horizontal overflow (of the page or of any block), on text that reaches
 * past its box or the window (cut off), on a label broken into two lines,
 * and on a password block that holds anything but the password or cannot
 * be selected whole. Screenshots stay in cdktf.out/previews/layout/ for
 * reviewers (`npm run preview` clears that folder; run this test again).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { renderWelcomeEmail, type WelcomeEmailInput } from '../../../handlers/welcome/core/message';
import { launchChromium, type Browser } from '../../support/chromium';

const SHOTS = join(__dirname, '../../../cdktf.out/previews/layout');
const WIDTHS = [320, 360, 1000] as const;
const LABELS = ['Sign-in address', 'User name', 'Temporary password'];

/** 2 December 2026, 10:17 UTC. */
const ISSUED = Date.UTC(2026, 11, 2, 10, 17, 42);

const base: WelcomeEmailInput = {
  userName: 'ada.lovelace',
  displayName: 'Ada Lovelace',
  email: 'ada.lovelace@example.com',
  signInUrl: 'https://example-corp.signin.aws.amazon.com/console',
  organisationName: 'Example Corp',
  helpContact: 'it-help@example.com or #it-help on Slack',
  password: 'Xk7#pQ2!vR9@mW4$zT6&',
  issuedAtMs: ISSUED,
  unusedPasswordDays: 7,
};

// The longest values each field may carry.
const ALIAS_63 = `example-corporation-${'production'.repeat(4)}-x`.slice(0, 63);
const USER_64 = `${'firstname.lastname.'.repeat(3)}engineer`.slice(0, 64);
const UNBROKEN = 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft';
const LONG_NAME = `${UNBROKEN} ${'Maria-Josefina de la Santísima Trinidad '.repeat(5)}`.slice(
  0,
  256,
);

const CASES: Record<string, WelcomeEmailInput> = {
  welcome: base,
  'welcome-mfa': { ...base, mfaRequired: true },
  'welcome-no-expiry': { ...base, unusedPasswordDays: undefined },
  redelivery: { ...base, replacesEarlier: true },
  resend: { ...base, resend: true, replacesEarlier: true, mfaRequired: true },
  rename: { ...base, userName: 'ada.king', renamedFrom: 'ada.lovelace', mfaRequired: true },
  'long-values': {
    ...base,
    userName: USER_64,
    renamedFrom: `${USER_64.slice(0, 60)}.old`,
    displayName: LONG_NAME,
    email: `${'a'.repeat(64)}@${'department-of-very-long-names.'.repeat(6)}example.com`.slice(
      0,
      254,
    ),
    signInUrl: `https://${ALIAS_63}.signin.aws.amazon.com/console`,
    organisationName: `The ${'Very Long Organisation Name '.repeat(4)}Inc`.slice(0, 100),
    helpContact: `${'service-desk-for-cloud-accounts'.repeat(2)}@example.com or #cloud-accounts-help-and-questions`,
    password: 'Aa1!'.repeat(32),
    mfaRequired: true,
  },
  'user-name-64': {
    ...base,
    userName: USER_64,
    displayName: undefined,
    signInUrl: `https://${ALIAS_63}.signin.aws.amazon.com/console`,
  },
  cjk: {
    ...base,
    userName: 'yamada.taro',
    displayName: '山田 太郎（やまだ たろう）情報システム部',
  },
  'cjk-long': { ...base, displayName: '欧阳'.repeat(60), mfaRequired: true },
  rtl: { ...base, userName: 'layla.abdullah', displayName: 'ليلى عبد الله' },
  'rtl-hebrew': { ...base, userName: 'noa.cohen', displayName: 'נועה כהן', resend: true },
};

/** In the page: everything that sticks out, and how each label and the password lay out. */
const INSPECT = String.raw`(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.textContent ? ' "' + el.textContent.trim().slice(0, 40) + '"' : '');
  if (root.scrollWidth > width) problems.push('the page scrolls sideways: ' + root.scrollWidth + ' > ' + width);
  if (document.body.scrollWidth > document.body.clientWidth) problems.push('the body scrolls sideways');
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none') continue;
    const box = el.getBoundingClientRect();
    if (style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1)
      problems.push(name(el) + ' overflows its box: ' + el.scrollWidth + ' > ' + el.clientWidth);
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5))
      problems.push(name(el) + ' reaches outside the window: ' + box.left + '..' + box.right + ' of ' + width);
  }
  // Text itself: each line box of each text node inside its block and the window.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    let block = node.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    const outer = block.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      if (r.right > Math.min(outer.right, width) + 0.5 || r.left < Math.max(outer.left, 0) - 0.5)
        problems.push('text cut off: "' + node.textContent.trim().slice(0, 40) + '" at ' + r.left + '..' + r.right);
    }
  }
  // Prose wraps between words: a short word split across two lines means
  // the tokens' break-anywhere rule leaked into the sentences.
  const tokens = new Set();
  for (const label of ${JSON.stringify(LABELS)}) {
    const cell = [...document.querySelectorAll('td')].find((c) => c.textContent.trim() === label);
    const value = cell && cell.parentElement.nextElementSibling;
    if (value) tokens.add(value);
  }
  const prose = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = prose.nextNode(); node; node = prose.nextNode()) {
    if ([...tokens].some((t) => t.contains(node))) continue;
    // Latin words of 2-20 letters (CJK breaks between any two characters),
    // unless part of a run without spaces too long for a phone's line (a
    // 64-character user name in a sentence must break somewhere).
    for (const m of node.textContent.matchAll(/[A-Za-z\u00c0-\u024f]+/g)) {
      const before = node.textContent.slice(0, m.index).search(/\S*$/);
      const run = node.textContent.slice(before).match(/^\S*/)[0];
      if (m[0].length < 2 || m[0].length > 20 || run.length > 30) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) problems.push('word broken across lines: "' + m[0] + '"');
    }
  }
  const cells = [...document.querySelectorAll('td')];
  const labels = {};
  for (const label of ${JSON.stringify(LABELS)}) {
    const cell = cells.find((c) => c.textContent.trim() === label);
    if (!cell) { labels[label] = -1; continue; }
    const range = document.createRange();
    range.selectNodeContents(cell);
    labels[label] = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  }
  const index = cells.findIndex((c) => c.textContent.trim() === 'Temporary password');
  const block = cells[index + 1];
  const password = block && {
    text: block.textContent,
    userSelect: getComputedStyle(block).userSelect || getComputedStyle(block).webkitUserSelect,
    font: getComputedStyle(block).fontFamily,
  };
  return { problems, labels, password };
})()`;

interface Inspection {
  problems: string[];
  labels: Record<string, number>;
  password?: { text: string; userSelect: string; font: string };
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  page = await browser.context.newPage();
  // The email is a local string: nothing may be fetched.
  await page.route('**/*', (route) => route.abort());
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function inspect(html: string, width: number, shot?: string): Promise<Inspection> {
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(html, { waitUntil: 'load' });
  if (shot) await page.screenshot({ path: join(SHOTS, `${shot}-${width}.png`), fullPage: true });
  return page.evaluate<Inspection>(INSPECT);
}

describe('the welcome email in Chromium', () => {
  describe.each(Object.entries(CASES))('%s', (kind, input) => {
    const email = renderWelcomeEmail(input);

    it.each(WIDTHS)(
      'fits %i px: nothing overflows or is cut off, labels on one line',
      async (width) => {
        const seen = await inspect(email.html, width, kind);
        expect(seen.problems).toEqual([]);
        expect(seen.labels).toEqual(Object.fromEntries(LABELS.map((l) => [l, 1])));
        // The password alone in its block, monospace, selected whole with one tap.
        expect(seen.password).toEqual({
          text: input.password,
          userSelect: 'all',
          font: expect.stringMatching(/monospace/),
        });
      },
    );
  });

  // The check's own proof: the layout this replaced (issue 19: labels beside
  // values in an auto-width table), and the new one with the address kept
  // from wrapping, must both fail it.
  it('fails an email whose sign-in address cannot wrap', async () => {
    const long = renderWelcomeEmail(CASES['user-name-64']);
    const nowrap = long.html.replace(/<a href=/, '<a style="white-space:nowrap" href=');
    expect(nowrap).not.toBe(long.html);
    const seen = await inspect(nowrap, 360);
    expect(seen.problems.join('\n')).toMatch(/scrolls sideways|overflows its box|cut off/);
  });

  it('fails an email whose sentences break inside words', async () => {
    const { html } = renderWelcomeEmail(CASES.welcome);
    const broken = html.replace(
      /<div style="max-width:600px;/,
      '<div style="word-break:break-all;max-width:600px;',
    );
    expect(broken).not.toBe(html);
    const seen = await inspect(broken, 360);
    expect(seen.problems.join('\n')).toMatch(/word broken across lines/);
  });

  it('fails the old layout: value beside label, tokens that cannot wrap', async () => {
    const old = [
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
      '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5">',
      '<table role="presentation" cellpadding="4" cellspacing="0">',
      `<tr><td>Sign-in address</td><td><a href="https://${ALIAS_63}.signin.aws.amazon.com/console">https://${ALIAS_63}.signin.aws.amazon.com/console</a></td></tr>`,
      `<tr><td>User name</td><td style="font-family:monospace">${USER_64}</td></tr>`,
      '<tr><td>Temporary password</td><td style="font-family:monospace">Xk7#pQ2!vR9@mW4$zT6&amp;</td></tr>',
      '</table></body></html>',
    ].join('\n');
    const seen = await inspect(old, 360, 'old-layout');
    expect(seen.problems.join('\n')).toMatch(/scrolls sideways/);
    expect(seen.labels['Temporary password']).toBe(2);
  });
});
