// The Temporal Web UI in a real browser (Debian's Chromium, headless, driven by playwright-core): the dev server's UI,
// its codec endpoint the API's codec server (as `npm start` wires them), shows a sentence's input decrypted to an
// operator signed in to the codec server, and only ciphertext to a browser without that sign-in or with a
// practitioner's. The marker is the case reference, which is nowhere but in the encrypted payloads.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIdFor } from '../../contracts/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { ensureChromium } from '../../scripts/browser.mjs';
import { testDeps } from '../support/deps.ts';
import { eventually } from '../support/poll.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps, [], {}, { webUi: true });
const CASE_REF = 'Q246813';
const sentence = communityOrder(londonDate(Date.now()), periodEnd(londonDate(Date.now()), 12), {
  sentenceId: uniqueId('UI'),
  caseReference: CASE_REF,
});
let browser: Browser;

beforeAll(async () => {
  const res = await fetch(`${ctx.base}/sentences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` },
    body: JSON.stringify(sentence),
  });
  expect(res.status).toBe(201);
  browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A browser whose Web UI uses its own codec setting (the UI's "Codec Server" settings: this endpoint, with "Include
 * cross-origin credentials" on), as the README tells an operator to set it; signed in to the codec server with the
 * named principal's token, or not at all.
 */
async function browserFor(who: 'operator' | 'practitioner-ldn' | undefined): Promise<BrowserContext> {
  const context = await browser.newContext();
  const endpoint = JSON.stringify(JSON.stringify(`${ctx.base}/codec`));
  await context.addInitScript({
    content: `localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      localStorage.setItem('endpoint', ${endpoint});
      localStorage.setItem('includeCredentials', 'true');`,
  });
  if (who) {
    const page = await context.newPage();
    await page.goto(`${ctx.base}/codec/session`);
    await page.fill('#token', await ctx.token(who));
    await page.click('#sign-in');
    await page.waitForLoadState();
    const signedIn = await page.locator('h1').textContent();
    expect(signedIn).toBe(who === 'operator' ? 'Signed in to the codec server' : 'Not signed in');
    await page.close();
  }
  return context;
}

/** The sentence's workflow page in the UI, once the codec server has answered its first decode request. */
async function workflowPage(context: BrowserContext): Promise<{ page: Page; decodeStatus: number }> {
  const page = await context.newPage();
  const decoded = page.waitForResponse((r) => r.url().startsWith(`${ctx.base}/codec/decode`) && r.request().method() === 'POST', {
    timeout: 60_000,
  });
  await page.goto(`${ctx.ui}/namespaces/default/workflows/${workflowIdFor(sentence.sentenceId)}`);
  const decodeStatus = (await decoded).status();
  await page.getByText(workflowIdFor(sentence.sentenceId)).first().waitFor({ timeout: 30_000 });
  return { page, decodeStatus };
}

/** The start's input as the server stores it (encrypted), in base64: read without any codec. */
async function storedInput(): Promise<string> {
  const history = await ctx.env.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId: workflowIdFor(sentence.sentenceId) },
  });
  const data = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) throw new Error('no stored input');
  expect(Buffer.from(data).toString('latin1')).not.toContain(CASE_REF);
  return Buffer.from(data).toString('base64');
}

describe('the Temporal Web UI with the codec server', () => {
  it('shows an operator the decrypted input', async () => {
    const context = await browserFor('operator');
    const { page, decodeStatus } = await workflowPage(context);
    expect(decodeStatus).toBe(200);
    await page.getByText(CASE_REF).first().waitFor({ timeout: 30_000 });
    expect(await page.content()).toContain(CASE_REF);
    expect(await page.getByText('Codec Server could not connect').filter({ visible: true }).count()).toBe(0);
    await context.close();
  }, 120_000);

  it('shows ciphertext to a browser not signed in, and to a practitioner', async () => {
    for (const who of [undefined, 'practitioner-ldn'] as const) {
      const context = await browserFor(who);
      const { page, decodeStatus } = await workflowPage(context);
      expect(decodeStatus).toBe(401);
      // The UI says the codec server refused it and shows the input as it is stored: ciphertext, never the case reference.
      await page.getByText('Codec Server could not connect').filter({ visible: true }).first().waitFor({ timeout: 30_000 });
      // The stored ciphertext itself is on the page (the start's input as the server holds it, in base64).
      const stored = await storedInput();
      await expect.poll(() => page.content(), { timeout: 30_000 }).toContain(stored.slice(0, 32));
      expect(await page.content()).not.toContain(CASE_REF);
      await context.close();
    }
  }, 120_000);
});

describe('the codec server sign-in', () => {
  const form = (token: string, origin?: string) =>
    fetch(`${ctx.base}/codec/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin && { origin }) },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });
  const decode = (cookie: string, origin?: string) =>
    fetch(`${ctx.base}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...(origin && { origin }) },
      body: JSON.stringify({ payloads: [] }),
    });

  it('keeps an operator\u2019s token in a cookie for /codec only, honoured only from the Web UI\u2019s origin', async () => {
    expect((await form('not-a-token')).status).toBe(401);
    // Only from the sign-in page itself: another site's form cannot sign a browser in.
    expect((await form(await ctx.token('operator'), 'https://elsewhere.example')).status).toBe(403);
    expect((await form(await ctx.token('practitioner-ldn'))).headers.get('set-cookie')).toBeNull();
    const signedIn = await form(await ctx.token('operator'));
    expect(signedIn.status).toBe(200);
    const setCookie = signedIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^codec_session=[^;]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = setCookie.split(';')[0]!;
    expect((await decode(cookie, ctx.ui)).status).toBe(200);
    expect((await decode(cookie, 'http://127.0.0.1:1')).status).toBe(401);
    expect((await decode(cookie)).status).toBe(401);
    const out = await fetch(`${ctx.base}/codec/session/end`, { method: 'POST' });
    expect(out.headers.get('set-cookie')).toBe('codec_session=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0');
    // Sign-ins are audited like reads: the operator's accepted, the practitioner's refused.
    const signIns = async (principal: string) =>
      (await deps.store.audit.query({ principal, limit: 1000 })).filter((e) => e.route === '/codec/session').map((e) => e.status);
    expect(
      await eventually(
        () => signIns('OPS1'),
        (s) => s.length > 0,
        'the operator\u2019s sign-in audited',
      ),
    ).toContain(200);
    expect(
      await eventually(
        () => signIns('OM1'),
        (s) => s.length > 0,
        'the practitioner\u2019s sign-in audited',
      ),
    ).toEqual(expect.arrayContaining([403]));
  });
});
