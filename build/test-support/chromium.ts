/**
 * Debian's Chromium through playwright-core, for tests that open a page (the app's e2e tests, report.html),
 * and the folder their screenshots go to (test-artifacts/screenshots/).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './fixtures';

export const CHROMIUM = process.env.STELLA_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO_ROOT, 'test-artifacts', 'screenshots');

/** Skip reason when the Chromium binary is missing, else false. */
export function needsChromiumBinary(): { skip: string | false } {
  return existsSync(CHROMIUM) ? { skip: false } : { skip: `Chromium not found at ${CHROMIUM} (install with: apt-get update && apt-get install -y chromium)` };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
