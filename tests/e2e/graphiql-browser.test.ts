import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * GraphiQL in a real headless Chromium (Debian's, /usr/bin/chromium; `.ci/run`
 * installs it). Every request that is not to loopback is blocked, so the page
 * proves it works offline. Screenshots go to test-output/graphiql/ (git-ignored).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'graphiql');
jest.setTimeout(180_000);

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  app = await startTestApp();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('GraphiQL in a browser', () => {
  it('runs the default query offline, shows data in the result pane, and opens the docs explorer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === '127.0.0.1' || host === 'localhost' || route.request().url().startsWith('data:')) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`);
    });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });

    await page.goto(`${app.url}/`); // the bare host redirects to GraphiQL
    expect(new URL(page.url()).pathname).toBe('/graphql');
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, '1-loaded.png') });
    // The first query fits the editor: its last line is visible without scrolling.
    const editor = page.locator('.graphiql-query-editor .CodeMirror-lines').first();
    const editorBox = await page.locator('.graphiql-query-editor').first().boundingBox();
    const linesBox = await editor.boundingBox();
    expect(linesBox!.y + linesBox!.height).toBeLessThanOrEqual(editorBox!.y + editorBox!.height);
    // ... and its longest line too.
    const scroll = await page.locator('.graphiql-query-editor .CodeMirror-scroll').first().evaluate((el) => ({ content: el.scrollWidth, shown: el.clientWidth }));
    expect(scroll.content).toBeLessThanOrEqual(scroll.shown);
    // A link to the CSV export of the same report.
    const csv = await page.locator('#csv').getAttribute('href');
    expect(csv).toMatch(/^\/export\/usage\.csv\?from=\d{4}-\d{2}&to=\d{4}-\d{2}&groupBy=MONTH%2CVENDOR%2CUNIT%2CCURRENCY$/);

    await page.click('.graphiql-execute-button');
    const result = page.locator('.graphiql-response .CodeMirror');
    await result.filter({ hasText: '"vendor": "TALKDESK"' }).waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toContain('"rows"');
    expect(text).toContain('"currency": "USD"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: join(SCREENSHOTS, '2-result.png') });

    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.locator('.graphiql-doc-explorer').filter({ hasText: 'Query' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOTS, '3-docs.png') });

    expect(failures).toEqual([]);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('serves the CSV behind the link, and no 404 for a favicon', async () => {
    const favicon = await request(`${app.url}/favicon.ico`);
    expect(favicon.statusCode).toBe(204);
    await favicon.body.dump();
    const csv = await request(`${app.url}/export/usage.csv?from=2025-01&to=2025-01&groupBy=MONTH,VENDOR,UNIT,CURRENCY`);
    expect(csv.statusCode).toBe(200);
    expect((await csv.body.text()).split('\r\n')[0]).toBe('month,vendor,unit,currency,quantity,amount,projected_quantity,projected_amount');
  });
});
