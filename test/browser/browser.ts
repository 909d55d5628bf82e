/**
 * Real headless Chromium (the Debian `chromium` package) driven by playwright-core, on a real ovsim server:
 * shared by the page tests. The flags are the ones CI's machines need (no sandbox as root, no background network).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createServer, type OvsimServer, type ServerOptions } from '../../src/server/create-server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PAGE_SECRET = 'page-test-secret';

export interface ServedPage {
  readonly server: OvsimServer;
  readonly url: string;
  readonly page: Page;
  /** Uncaught errors of the page, to assert there were none. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 and a fresh Chromium profile logged in to it with the page's Basic auth. */
export async function openServedPage(
  options: ServerOptions,
  viewport: { width: number; height: number },
): Promise<ServedPage> {
  const server = createServer({ port: 0, secret: PAGE_SECRET, ...options });
  const url = (await server.listen()).url;
  const userDataDir = mkdtempSync(join(tmpdir(), 'ovsim-chromium-'));
  // launchPersistentContext takes the fresh user-data-dir (chromium.launch cannot).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    httpCredentials: { username: 'OPENVIDUAPP', password: PAGE_SECRET },
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.setDefaultTimeout(10_000);
  return {
    server,
    url,
    page,
    pageErrors,
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
