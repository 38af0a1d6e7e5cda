/**
 * Headless Chromium for tests that render pages: Debian's `chromium` (`apt-get install -y chromium`) driven by
 * playwright-core, which downloads no browser of its own. `CHROMIUM_PATH` overrides the executable.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** The Chromium executable to run. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const found = [env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error(`Chromium not found (tried ${CANDIDATES.join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH`);
  return found;
}

/** Launches headless Chromium with nothing that phones home. Close it in `after`. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
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
