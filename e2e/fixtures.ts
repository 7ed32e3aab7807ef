import { test as base, chromium, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Input, MethodName, Output } from '../src/shared/contract/index';
import { FieldbookError } from '../src/shared/errors';
import { createCore, type Core } from '../src/core/core';
import { dispatch } from '../src/core/dispatch';
import { startBridge, type Bridge } from '../src/host/bridge/server';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CHROMIUM = process.env.FIELDBOOK_CHROMIUM ?? '/usr/bin/chromium';
/** The flags this machine's closed network needs (see DEVELOPERS.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
export const SHARED_DATA = path.resolve(ROOT, '..', 'shared', 'data');
/**
 * The README's screenshots are refreshed on purpose (`npm run screenshots`); an ordinary test run
 * writes its screenshots under test-results so it leaves the working tree clean.
 */
export const SCREENSHOTS = process.env.FIELDBOOK_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, 'test-results', 'screenshots');

export interface App {
  core: Core;
  bridge: Bridge;
  /** A fresh folder for this test's files (projects, fixtures, exports). */
  dir: string;
  /** Calls the same core the page talks to (for setup and for checking results). */
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
}

interface Fixtures {
  app: App;
  context: BrowserContext;
  page: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-e2e-'));
    const core = createCore({
      appDataDir: path.join(dir, 'appdata'),
      host: 'web',
      version: '0.0.0-e2e',
      sampleDir: path.join(ROOT, 'resources', 'sample'),
    });
    const bridge = await startBridge({ core, rendererDir: path.join(ROOT, 'out', 'renderer') });
    const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
      const envelope = await dispatch(core, { method, input });
      if (!envelope.ok) throw FieldbookError.fromInfo(envelope.error);
      return envelope.result as Output<M>;
    };
    await use({ core, bridge, dir, call });
    await bridge.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
  context: async ({ app }, use) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1360, height: 860 },
      downloadsPath: path.join(app.dir, 'downloads'),
    });
    await use(context);
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  },
  page: async ({ context, app }, use) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.bridge.openUrl);
    await use(page);
    if (errors.length) throw new Error(`The page threw: ${errors.join('\n')}`);
  },
});

export { expect } from '@playwright/test';

/** Creates a project through the start screen's own dialog, as a user would. */
export async function createProjectThroughUi(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill(name);
  await page.getByTestId('create-project').click();
  await page.getByTestId('statusbar').waitFor();
}

/** Picks files in the web host's file chooser (what bridge.openFiles opens). */
export async function chooseFiles(page: Page, trigger: () => Promise<void>, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await trigger();
  await (await chooser).setFiles(files);
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/** Selects a phrase in the coding reader the way a mouse drag would: a DOM range over its text. */
export async function selectPhrase(page: Page, phrase: string): Promise<void> {
  // A string, so this file type-checks without the DOM library (it runs in the page).
  await page.evaluate(`(() => {
    const wanted = ${JSON.stringify(phrase)};
    const root = document.querySelector('[data-testid="coding-reader"]');
    if (!root) throw new Error('no reader');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(wanted);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        // The reader takes a selection when the mouse button comes up, as after a drag.
        const view = root.querySelector('[data-testid="reading-view"]') || root;
        view.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return;
      }
    }
    throw new Error('phrase not on the page: ' + wanted);
  })()`);
}

/** Skips a test whose real-world file is absent, and says so in the run's output. */
export function skipWithoutFile(file: string): void {
  const present = fs.existsSync(file);
  if (!present) console.log(`[e2e] skipped "${test.info().title}": ${file} is absent (../shared/data is not beside the checkout).`);
  // A skip decided inside the running test, like electron.spec.ts's: the reason goes to the report too.
  test.info().skip(!present, `${file} is absent (../shared/data is not beside the checkout)`);
}
