import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet headless Chromium; `webgl` swaps --disable-gpu for SwiftShader's software WebGL. */
export function chromiumArgs(webgl = false): string[] {
  return [
    '--headless',
    '--no-sandbox',
    ...(webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']),
    '--disable-background-networking',
    '--disable-component-update',
  ];
}

/** A persistent Chromium context in `dir/profile-<name>`, and its page, with page errors collected in `problems`. */
export async function launchPage(
  dir: string,
  name: string,
  options: { webgl?: boolean; width?: number; height?: number; problems: string[] },
): Promise<{ context: BrowserContext; page: Page }> {
  const profile = join(dir, `profile-${name}`);
  await mkdir(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(options.webgl),
    viewport: { width: options.width ?? 1280, height: options.height ?? 1000 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => options.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') options.problems.push(`console: ${message.text()}`);
  });
  return { context, page };
}

/** Where screenshots go (`WORDLOOM_E2E_SCREENSHOTS`, else a temp folder). */
export function screenshotDir(tmp: string): string {
  return process.env.WORDLOOM_E2E_SCREENSHOTS ?? join(tmp, 'wordloom-e2e-screenshots');
}
