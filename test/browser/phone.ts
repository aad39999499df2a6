import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/*
 * What the page tests share: real Chromium (Debian's, or CHROMIUM_PATH) at a
 * phone's size, signing in through the real form, and screenshots for people
 * to look at in .test-artifacts/.
 */

export const PHONE = { width: 390, height: 844 };
export const SMALL_PHONE = { width: 360, height: 740 };
/** Below vitest's 30 s so a stuck step fails with the locator it waited for. */
export const STEP_TIMEOUT_MS = 10_000;
const ARTIFACTS = join(process.cwd(), '.test-artifacts');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A phone-sized page that records uncaught errors, so a test can insist there were none. */
export async function openPhone(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  // A Chinese phone: date pickers and number formats as the people using it see them.
  const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors };
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}

/** Nothing scrolls sideways at 390 px nor on the smallest phones we support. */
export async function expectFitsPhone(page: Page): Promise<void> {
  for (const size of [PHONE, SMALL_PHONE]) {
    await page.setViewportSize(size);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${size.width} px`).toBeLessThanOrEqual(size.width);
  }
  await page.setViewportSize(PHONE);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0)); // else the sticky header is drawn where the page was scrolled to
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A marker that a reload would drop: the page changed live, not by loading again. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}

export async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}

/** The text of a test id inside `scope`, for expect.poll. */
export const text = (page: Page, selector: string) => () => page.locator(selector).first().textContent();
