import http from 'node:http';
import path from 'node:path';
import { createProjectThroughUi, expect, test } from './fixtures';

/**
 * Another local web page (a dev server, a tool's UI, anything on another 127.0.0.1 port) tries
 * every way a browser page has to reach the bridge. A port is another origin but the same *site*:
 * cookies and SameSite=Strict do not separate them, so each attempt must fail on the bridge's own
 * checks (token header, Origin/Sec-Fetch-Site, JSON only, no preflight, no upgrades).
 */
interface Attempt {
  name: string;
  outcome: string;
}

function attackerPage(bridge: string, token: string): string {
  const call = (name: string) => JSON.stringify({ method: 'codes.create', input: { name } });
  return `<!doctype html><title>another local page</title>
<iframe name="sink"></iframe>
<form id="form" method="POST" action="${bridge}/api/call" enctype="text/plain" target="sink">
  <input name='{"method":"codes.create","input":{"name":"by form","x":"' value='"}}'>
</form>
<script>
const results = [];
const note = (name, outcome) => results.push({ name, outcome });
(async () => {
  // 1. The original hole: a no-cors text/plain POST (the browser adds any cookie of 127.0.0.1).
  try {
    await fetch('${bridge}/api/call', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(call('by no-cors'))} });
    note('no-cors POST', 'sent (opaque)');
  } catch (e) { note('no-cors POST', 'blocked: ' + e.message); }
  // 2. A CORS call that even knows the token: the preflight is refused, so it is never sent.
  try {
    const r = await fetch('${bridge}/api/call', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Fieldbook-Token': '${token}' }, body: ${JSON.stringify(call('by cors'))} });
    note('cors POST with token', 'answered ' + r.status + ' ' + (await r.text()));
  } catch (e) { note('cors POST with token', 'blocked: ' + e.message); }
  // 3. Reading the event stream or an API answer cross-origin.
  try {
    const r = await fetch('${bridge}/api/events', { credentials: 'include' });
    note('cors GET events', 'answered ' + r.status);
  } catch (e) { note('cors GET events', 'blocked: ' + e.message); }
  // 4. A WebSocket (no CORS for these: the server must refuse the upgrade itself).
  note('websocket', await new Promise((resolve) => {
    const ws = new WebSocket('${bridge.replace('http:', 'ws:')}/api/events?token=${token}');
    ws.onopen = () => { resolve('opened'); ws.close(); };
    ws.onclose = (e) => resolve('refused (close ' + e.code + ')');
  }));
  // 5. A plain HTML form POST (text/plain) into a frame.
  await new Promise((resolve) => {
    const frame = document.querySelector('iframe');
    frame.onload = resolve;
    document.getElementById('form').submit();
    setTimeout(resolve, 3000);
  });
  note('form POST', 'submitted');
  window.__done = true;
})();
window.__results = results;
</script>`;
}

test('a page on another local port cannot call, read, or open a socket to the bridge; the app itself still works', async ({ page, app, context }) => {
  const target = path.join(app.bridge.projectDir, 'Guarded.fieldbook');
  await app.call('project.create', { path: target });

  // The real app first, so whatever it keeps in the browser (cookies...) is there when the other page runs.
  await expect(page.getByTestId('statusbar')).toContainText('Guarded');
  // The token left the address bar after the first load.
  expect(page.url()).not.toContain('token');
  expect(page.url()).not.toContain(app.bridge.token);

  const cookiesSeen: string[] = [];
  const attacker = http.createServer((req, res) => {
    cookiesSeen.push(String(req.headers.cookie ?? ''));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackerPage(app.bridge.url, app.bridge.token));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const port = (attacker.address() as { port: number }).port;
  try {
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${port}/`);
    await evil.waitForFunction(() => (window as unknown as { __done?: boolean }).__done === true, undefined, { timeout: 20_000 });
    const results = await evil.evaluate(() => (window as unknown as { __results: Attempt[] }).__results);
    const outcome = Object.fromEntries(results.map((r) => [r.name, r.outcome]));
    expect(outcome['cors POST with token']).toMatch(/^blocked/);
    expect(outcome['cors GET events']).toMatch(/^blocked/);
    expect(outcome['websocket']).toMatch(/^refused/);
    // The no-cors POST and the form are sent (or their answer withheld by CORP): whether they ran is checked below.
    expect(outcome['no-cors POST']).toMatch(/^(sent|blocked)/);
    expect(outcome['form POST']).toBe('submitted');
    // What the browser sent along to the other port: nothing of Fieldbook's.
    expect(cookiesSeen.length).toBeGreaterThan(0);
    for (const cookie of cookiesSeen) expect(cookie).not.toContain(app.bridge.token);
    await evil.close();
  } finally {
    await new Promise<void>((resolve) => {
      attacker.close(() => resolve());
      attacker.closeAllConnections();
    });
  }
  // None of the attempts ran: the project has no codes.
  expect((await app.call('codes.list', {})).map((c) => c.name)).toEqual([]);

  // The app still works, after a reload too (the token now comes from this tab's sessionStorage).
  await page.reload();
  await expect(page.getByTestId('statusbar')).toContainText('Guarded');
  await page.getByRole('button', { name: 'Close project' }).click();
  await createProjectThroughUi(page, 'Still works');
  await expect(page.getByTestId('statusbar')).toContainText('Still works');
});

test('the app refuses to read a file it was never given, and says so', async ({ page, app }) => {
  await expect(page.getByRole('heading', { name: 'Fieldbook' })).toBeVisible();
  await createProjectThroughUi(page, 'Capabilities');
  // Even with the token, from the app's own page, a path the bridge never handed out is refused.
  const answer = await page.evaluate(async (file) => {
    const token = sessionStorage.getItem('fieldbook-token') ?? '';
    const response = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Fieldbook-Token': token },
      body: JSON.stringify({ method: 'survey.preview', input: { path: file } }),
    });
    return (await response.json()) as { ok: boolean; error?: { code: string } };
  }, path.join(app.dir, 'appdata', 'recent.json'));
  expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
});
