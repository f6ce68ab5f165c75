/**
 * Headless Chromium for the email layout test: Debian's `chromium` package
 * driven by playwright-core, never a browser playwright downloads itself.
 * Each launch gets a fresh profile directory (removed on close) and flags
 * that keep the browser off the network (no updates, sync, QUIC or
 * background fetches): the pages it loads are local strings.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium, or throws saying how to install it: a missing browser is
 * a failure of the test, never a skip.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's package ` +
        '(as root: apt-get update && apt-get install -y chromium; .ci/run does this in CI), ' +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'iam-onboarding-chromium-'));
  // A persistent context is how playwright takes a profile directory of our
  // choosing (launch() refuses a --user-data-dir flag).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
