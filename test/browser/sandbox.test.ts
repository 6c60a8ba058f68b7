import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { GuideLibrary } from '../../src/domain/guides/index.js';
import { projectPath } from '../../src/paths.js';

// Debian's Chromium, which .ci/install-chromium installs when it is missing.
const CHROMIUM = '/usr/bin/chromium';
// Every run takes the screenshots; `npm run screenshots` keeps them for the README (docs/screenshots),
// otherwise they go to a temporary folder so a test run leaves the work tree clean.
const SCREENSHOTS = process.env.SANDBOX_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'hml-screenshots-'));
const library = GuideLibrary.load(projectPath('locales'));
const guideTitle = (lang: 'en' | 'es') => library.get('asylum-eu-first-steps', lang)!.guide.title;
// Generous waits: these run next to the other test files on two loaded cores.
const WAIT = { timeout: 20_000 };

// Small waits on locators (playwright-core has no test runner's expect); text matching pierces shadow DOM.
const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible', ...WAIT });
const hidden = (locator: Locator) => locator.first().waitFor({ state: 'hidden', ...WAIT });
const containsText = (locator: Locator, text: string | RegExp) => visible(locator.filter({ hasText: text }));
const countOf = (locator: Locator, count: number) => expect.poll(() => locator.count(), WAIT).toBe(count);

describe('npm run sandbox in a real browser', { timeout: 90_000 }, () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let context: BrowserContext;
  /** Every request a page made to anywhere but the sandbox's own loopback server. */
  const outside: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium (apt-get install chromium)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startSandbox();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'en-US' });
    const own = `http://127.0.0.1:${sandbox.port}/`;
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(own)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sandbox?.stop();
  });

  async function open(persona: string): Promise<Page> {
    const page = await context.newPage();
    page.on('websocket', (socket) => {
      if (!socket.url().startsWith(`ws://127.0.0.1:${sandbox.port}/`)) outside.push(socket.url());
    });
    await page.goto(`${sandbox.url}&persona=${persona}`);
    await expect.poll(() => page.getByRole('combobox', { name: 'Persona' }).inputValue(), WAIT).toBe(persona);
    return page;
  }

  const channel = (page: Page, name: string | RegExp) => page.getByRole('navigation').getByRole('button', { name });

  /** Types "/<label>" in the message box and picks the command from the picker. */
  async function pickCommand(page: Page, label: string) {
    const box = page.getByRole('textbox', { name: 'Message' });
    const option = page.getByRole('listbox', { name: 'Commands' }).getByRole('option', { name: new RegExp(`^/${label}\\b`) }).first();
    // The composer clears itself once the previous command was sent; typing before that would be wiped.
    await expect
      .poll(async () => {
        if ((await box.inputValue()) !== `/${label}`) await box.fill(`/${label}`);
        return option.isVisible();
      }, WAIT)
      .toBe(true);
    await option.click();
  }

  const send = (page: Page) => page.getByRole('button', { name: /^(Send|Enviar)$/ }).click();
  const article = (page: Page, text: string | RegExp) => page.getByRole('article').filter({ hasText: text });

  it('refuses every request and socket without the printed key', async () => {
    const base = `http://127.0.0.1:${sandbox.port}`;
    expect((await fetch(`${base}/`)).status).toBe(403);
    expect((await fetch(`${base}/app.js`)).status).toBe(403);
    expect((await fetch(`${base}/api/snapshot?persona=admin&key=wrong`)).status).toBe(403);
    expect((await fetch(`${base}/api/snapshot?persona=admin&key=${sandbox.key}`)).status).toBe(200);
    const refused = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${sandbox.port}/live?key=wrong`);
      socket.onerror = () => resolve('refused');
      socket.onopen = () => resolve('opened');
    });
    expect(refused).toBe('refused');
  });

  it('the bot process it starts cannot connect beyond loopback (a public address fails at once)', () => {
    const probe = `require('node:net').connect({ host: '192.0.2.1', port: 80 }).on('error', (e) => { console.log(e.message); process.exit(0); }).on('connect', () => process.exit(3));`;
    const run = spawnSync(process.execPath, [`--import=${projectPath('src/sandbox/loopback-only.mjs')}`, '-e', probe], { encoding: 'utf8', timeout: 15_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('connections beyond loopback are blocked (192.0.2.1)');
  });

  it('a member finds a guide through autocomplete, pages it and switches it to Spanish', async () => {
    const page = await open('member');
    await containsText(page.getByRole('banner'), 'never connects to Discord');
    await pickCommand(page, 'guide');
    const topic = page.getByRole('textbox', { name: 'topic' });
    await topic.fill('asylum');
    await page.getByRole('listbox', { name: /topic/ }).getByRole('option', { name: guideTitle('en') }).click(WAIT);
    await send(page);

    const guide = article(page, guideTitle('en'));
    await containsText(guide, 'Only you can see this');
    await containsText(guide, 'Page 1/');
    await guide.getByRole('button', { name: 'Next' }).click();
    await containsText(article(page, guideTitle('en')), 'Page 2/');
    await page.screenshot({ path: `${SCREENSHOTS}/guide.png` });
    await article(page, guideTitle('en')).getByRole('button', { name: 'Español' }).click();
    const spanish = article(page, guideTitle('es'));
    await containsText(spanish, 'Página');
    await visible(spanish.getByRole('button', { name: 'Siguiente' }));
    await page.close();
  });

  it('a Spanish member opens /support, submits the form and sees the private thread another member cannot see', async () => {
    const page = await open('member-es-419');
    await pickCommand(page, 'apoyo');
    await send(page);
    const form = page.getByRole('dialog', { name: 'Pedir ayuda privada' });
    await visible(form);
    await form.getByRole('combobox', { name: 'Tema' }).selectOption('asylum');
    await form.getByRole('textbox', { name: '¿Con qué necesitas ayuda?' }).fill('Necesito orientación sobre mi solicitud de asilo.');
    await form.getByRole('combobox', { name: 'Idioma preferido' }).selectOption('es');
    await form.getByRole('combobox', { name: '¿Es urgente o un asunto de seguridad?' }).selectOption('no');
    await page.screenshot({ path: `${SCREENSHOTS}/support-form.png` });
    await form.getByRole('button', { name: 'Enviar' }).click();
    await hidden(form);

    const thread = channel(page, 'support-0001');
    await visible(thread);
    await thread.click();
    await containsText(page.getByRole('heading', { level: 1 }), 'support-0001');
    await containsText(page.getByRole('article').first(), 'Necesito orientación');
    await page.screenshot({ path: `${SCREENSHOTS}/support-thread.png` });

    // Another member's Discord has no such thread.
    await page.getByRole('combobox', { name: 'Persona' }).selectOption('member');
    await visible(channel(page, 'general'));
    await visible(channel(page, 'support'));
    await countOf(channel(page, 'support-0001'), 0);
    await countOf(page.getByText('Necesito orientación'), 0);
    await page.close();
  });

  it('a moderator joins it from the triage channel and claims it', async () => {
    const page = await open('moderator');
    await channel(page, 'triage').click();
    const announcement = article(page, '#0001');
    await visible(announcement);
    // Announced in the request's language (Spanish): "Unirme" is Join.
    await announcement.getByRole('button', { name: 'Unirme' }).click();
    await visible(article(page, 'Only you can see this'));

    await channel(page, 'support-0001').click();
    const intake = article(page, 'Necesito orientación');
    await visible(intake);
    await intake.getByRole('button', { name: 'Me encargo' }).click();
    // The intake message now shows who took it, and no longer offers to claim it.
    await countOf(article(page, 'Necesito orientación').getByRole('button', { name: 'Me encargo' }), 0);
    await containsText(article(page, 'Necesito orientación'), 'Asignada a: Mo');
    await page.screenshot({ path: `${SCREENSHOTS}/triage-claimed.png` });
    await page.close();
  });

  it('an admin adds an advocacy schedule, runs it now and sees the post, live on another member’s page too', async () => {
    const watcher = await open('member');
    await channel(watcher, 'take-action').click();
    await containsText(watcher.getByRole('heading', { level: 1 }), 'take-action');

    const page = await open('admin');
    await pickCommand(page, 'schedule add');
    await page.getByRole('combobox', { name: 'job' }).selectOption('advocacy');
    await page.getByRole('textbox', { name: 'cron' }).fill('0 9 * * 1');
    await page.getByRole('combobox', { name: 'channel' }).selectOption({ label: '#take-action' });
    await send(page);
    await visible(article(page, 'Schedule #1 saved'));

    await pickCommand(page, 'schedule run');
    await page.getByRole('textbox', { name: 'id' }).fill('1');
    await send(page);
    await channel(page, 'take-action').click();
    await visible(article(page, 'Take action:'));
    await page.screenshot({ path: `${SCREENSHOTS}/advocacy-post.png` });
    // The other page never reloaded: the post reached it over the live socket.
    await visible(article(watcher, 'Take action:'));
    await watcher.close();
    await page.close();
  });

  it('made no request beyond 127.0.0.1', () => {
    expect(outside).toEqual([]);
  });
});
