import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

/** The system Chromium (.ci/setup-system.sh installs it in CI); `SEQLEARN_CHROMIUM` points elsewhere. */
export const CHROMIUM = process.env.SEQLEARN_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: ${CHROMIUM} is absent (apt-get install chromium; CI installs it via .ci/setup-system.sh)`);

/** Headless Chromium with a throwaway profile in `profileDir`, and nothing that reaches the network by itself. */
export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
