import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/core';
import { tempDir } from '../../core/testing/index';
import { startBridge, type Bridge, type BridgeOptions } from './server';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** The raw bytes of a request line a browser can send but `http.request` would refuse to (bad escapes, upgrades). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('web bridge', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let bridge: Bridge;
  let origin: string;
  const start = async (options: Partial<BridgeOptions> = {}) => {
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Fieldbook</title>');
    fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
    bridge = await startBridge({ core, rendererDir, ...options });
    origin = bridge.url;
  };
  /** What our own page sends: the token in its header, its own Origin, JSON. */
  const own = (extra: Record<string, string> = {}): Record<string, string> => ({
    'X-Fieldbook-Token': bridge.token,
    Origin: origin,
    'Sec-Fetch-Site': 'same-origin',
    'Content-Type': 'application/json',
    ...extra,
  });
  const call = (method: string, input: unknown, headers: Record<string, string> = own()) =>
    request(`${bridge.url}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    core = createCore({ appDataDir: path.join(dir, 'app'), host: 'web', version: 't', sampleDir: path.join(dir, 'none') });
    await start();
  });
  afterEach(async () => {
    await bridge.close();
    core.close();
    cleanup();
  });

  it('listens on 127.0.0.1 only, on a random port', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.port).toBeGreaterThan(0);
  });

  it('refuses every API request without the token in its header', async () => {
    const body = JSON.stringify({ method: 'app.info', input: {} });
    expect((await request(`${bridge.url}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status).toBe(401);
    expect((await call('app.info', {}, own({ 'X-Fieldbook-Token': 'wrong' }))).status).toBe(401);
    // A token of the right length with one character changed.
    const near = bridge.token.slice(0, -1) + (bridge.token.endsWith('A') ? 'B' : 'A');
    expect((await call('app.info', {}, own({ 'X-Fieldbook-Token': near }))).status).toBe(401);
    expect((await request(`${bridge.url}/api/events`, { headers: { Origin: origin } })).status).toBe(401);
  });

  it('never accepts the token from a cookie or the address alone (a cookie reaches every port of the host)', async () => {
    const headers = { Origin: origin, 'Content-Type': 'application/json' };
    const body = JSON.stringify({ method: 'codes.create', input: { name: 'planted' } });
    const byCookie = await request(`${bridge.url}/api/call`, { method: 'POST', headers: { ...headers, Cookie: `fieldbook_token=${bridge.token}` }, body });
    expect(byCookie.status).toBe(401);
    const byQuery = await request(`${bridge.url}/api/call?token=${bridge.token}`, { method: 'POST', headers, body });
    expect(byQuery.status).toBe(401);
    expect((await request(`${bridge.url}/api/events?token=${bridge.token}`)).status).toBe(401);
  });

  it('sets no cookie at all, and serves the renderer itself (no data in it) with a strict CSP', async () => {
    const res = await request(bridge.openUrl);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Fieldbook</title>');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // A reload after the page took the token out of its address still finds the app.
    expect((await request(`${bridge.url}/`)).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await request(`${bridge.url}/`, { headers: { Host: 'evil.example:80' } });
    expect(res.status).toBe(403);
    expect((await call('app.info', {}, own({ Host: 'evil.example' }))).status).toBe(403);
  });

  it('refuses calls from another origin, even another port of 127.0.0.1, even with the token', async () => {
    const otherPort = `http://127.0.0.1:${bridge.port === 65535 ? 65534 : bridge.port + 1}`;
    for (const foreign of [otherPort, 'http://localhost:1', 'https://evil.example', 'null']) {
      const res = await call('codes.create', { name: 'planted' }, own({ Origin: foreign }));
      expect(res.status, foreign).toBe(403);
    }
    for (const site of ['cross-site', 'same-site', 'none']) {
      const res = await call('codes.create', { name: 'planted' }, own({ 'Sec-Fetch-Site': site }));
      expect(res.status, site).toBe(403);
    }
    // Without any Origin or Sec-Fetch-Site, a browser's request is impossible: a script on this machine with the token may call.
    const script = await call('app.info', {}, { 'X-Fieldbook-Token': bridge.token, 'Content-Type': 'application/json' });
    expect(script.status).toBe(200);
    // A Sec-Fetch-Site of another site with no Origin still counts as foreign.
    const siteOnly = await call('app.info', {}, { 'X-Fieldbook-Token': bridge.token, 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-site' });
    expect(siteOnly.status).toBe(403);
  });

  it('takes calls only as application/json: a no-cors text/plain or form POST is refused before it runs', async () => {
    await call('project.create', { path: path.join(bridge.projectDir, 'p.fieldbook') });
    const body = JSON.stringify({ method: 'codes.create', input: { name: 'planted' } });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const headers = own({ 'Content-Type': type });
      if (!type) delete headers['Content-Type'];
      const res = await request(`${bridge.url}/api/call`, { method: 'POST', headers, body });
      expect(res.status, type).toBe(415);
    }
    const listed = JSON.parse((await call('codes.list', {})).body) as { result: { name: string }[] };
    expect(listed.result.map((c) => c.name)).toEqual([]);
    expect((await call('app.info', {}, own({ 'Content-Type': 'application/json; charset=utf-8' }))).status).toBe(200);
  });

  it('answers a CORS preflight without any Access-Control header', async () => {
    const res = await request(`${bridge.url}/api/call`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-fieldbook-token' },
    });
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses every WebSocket upgrade', async () => {
    const answer = await rawRequest(
      bridge.port,
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: http://127.0.0.1:1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Fieldbook-Token: ${bridge.token}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).not.toMatch(/101 Switching/);
  });

  it('answers malformed percent-encoding with 400, not a crash', async () => {
    for (const target of ['/%E0%A4%A', '/assets/%', `/api/upload?name=%E0%A4%A`]) {
      const answer = await rawRequest(
        bridge.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nX-Fieldbook-Token: ${bridge.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, target).toMatch(/^HTTP\/1\.1 400/);
    }
    const upload = await request(`${bridge.url}/api/upload?name=%E0%A4%A`, {
      method: 'POST',
      headers: own({ 'Content-Type': 'application/octet-stream' }),
      body: 'x',
    });
    expect(upload.status).toBe(400);
    // Still serving afterwards.
    expect((await call('app.info', {})).status).toBe(200);
  });

  it('runs the same dispatch: results, validation errors and core errors as values', async () => {
    const post = async (method: string, input: unknown) => JSON.parse((await call(method, input)).body);
    const info = await post('app.info', {});
    expect(info).toMatchObject({ ok: true, result: { host: 'web', openProject: null } });
    const invalid = await post('project.open', { path: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field: 'path' } } });
    const missing = await post('project.open', { path: path.join(dir, 'nope.fieldbook') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const target = path.join(bridge.projectDir, 'web.fieldbook');
    const created = await post('project.create', { path: target });
    expect(created).toMatchObject({ ok: true, result: { name: 'web' } });
    expect(core.currentProject()?.path).toBe(target);
  });

  it('stores uploads and serves only files from its outbox', async () => {
    const headers = own({ 'Content-Type': 'application/octet-stream' });
    const upload = JSON.parse((await request(`${bridge.url}/api/upload?name=${encodeURIComponent('../../evil name.csv')}`, { method: 'POST', headers, body: 'a,b\n1,2\n' })).body) as { path: string };
    expect(upload.path.startsWith(bridge.uploadDir)).toBe(true);
    expect(path.basename(upload.path)).toBe('evil name.csv');
    expect(fs.readFileSync(upload.path, 'utf8')).toBe('a,b\n1,2\n');
    const outside = await request(`${bridge.url}/api/download?path=${encodeURIComponent(upload.path)}`, { headers: own() });
    expect(outside.status).toBe(404);
    const slot = JSON.parse((await request(`${bridge.url}/api/outbox`, { method: 'POST', headers: own(), body: JSON.stringify({ defaultName: 'table.csv' }) })).body) as { path: string };
    fs.writeFileSync(slot.path, 'x,y\n');
    const download = await request(`${bridge.url}/api/download?path=${encodeURIComponent(slot.path)}`, { headers: own() });
    expect(download.status).toBe(200);
    expect(download.body).toBe('x,y\n');
    expect(download.headers['content-disposition']).toContain('table.csv');
    // Downloads need the header too: a link on another page cannot fetch an export.
    expect((await request(`${bridge.url}/api/download?path=${encodeURIComponent(slot.path)}`)).status).toBe(401);
  });

  it('takes uploads only as application/octet-stream', async () => {
    const res = await request(`${bridge.url}/api/upload?name=a.csv`, { method: 'POST', headers: own({ 'Content-Type': 'text/plain' }), body: 'a\n' });
    expect(res.status).toBe(415);
    expect(fs.readdirSync(bridge.uploadDir)).toEqual([]);
  });

  it('refuses an upload over the size limit with a clear 413 and keeps nothing of it', async () => {
    await bridge.close();
    await start({ maxUploadBytes: 1000 });
    const headers = own({ 'Content-Type': 'application/octet-stream' });
    const declared = await request(`${bridge.url}/api/upload?name=big.csv`, { method: 'POST', headers, body: Buffer.alloc(1001, 97) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(JSON.parse(declared.body).error.message).toMatch(/big\.csv.*1000 bytes|limit/);
    // Chunked, so the size is only known while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${bridge.url}/api/upload?name=big.csv`, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(600, 97));
      req.write(Buffer.alloc(600, 97), () => req.end());
    });
    expect(chunked).toBe(413);
    const left = fs.readdirSync(bridge.uploadDir).flatMap((d) => fs.readdirSync(path.join(bridge.uploadDir, d)));
    expect(left).toEqual([]);
    const small = await request(`${bridge.url}/api/upload?name=small.csv`, { method: 'POST', headers, body: 'a\n1\n' });
    expect(small.status).toBe(200);
  });

  it('removes an upload once an import has used it, and every upload and export when it closes', async () => {
    await call('project.create', { path: path.join(bridge.projectDir, 'u.fieldbook') });
    const headers = own({ 'Content-Type': 'application/octet-stream' });
    const upload = async (name: string, body: string) =>
      (JSON.parse((await request(`${bridge.url}/api/upload?name=${name}`, { method: 'POST', headers, body })).body) as { path: string }).path;
    const used = await upload('wave.csv', 'id,q1\n1,yes\n2,no\n');
    const kept = await upload('other.csv', 'id,q1\n1,yes\n');
    const previewed = JSON.parse((await call('survey.preview', { path: used })).body) as { ok: boolean };
    expect(previewed.ok).toBe(true);
    expect(fs.existsSync(used)).toBe(true);
    const imported = JSON.parse((await call('survey.import', { path: used, wave: '1' })).body) as { ok: boolean };
    expect(imported.ok).toBe(true);
    expect(fs.existsSync(used)).toBe(false);
    expect(fs.existsSync(kept)).toBe(true);
    const slot = JSON.parse((await request(`${bridge.url}/api/outbox`, { method: 'POST', headers: own(), body: JSON.stringify({ defaultName: 't.csv' }) })).body) as { path: string };
    fs.writeFileSync(slot.path, 'x');
    const workDir = path.dirname(bridge.uploadDir);
    await bridge.close();
    expect(fs.existsSync(kept)).toBe(false);
    expect(fs.existsSync(slot.path)).toBe(false);
    expect(fs.existsSync(workDir)).toBe(false);
    await start();
  });

  it('clears the files a crashed bridge left behind, but not those of one still running', async () => {
    const root = path.dirname(path.dirname(bridge.uploadDir));
    const dead = path.join(root, 'crashed');
    fs.mkdirSync(path.join(dead, 'uploads', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dead, 'uploads', 'x', 'left.csv'), 'a');
    // A pid that cannot be running (above any pid_max).
    fs.writeFileSync(path.join(dead, 'pid'), '99999999');
    const live = path.dirname(bridge.uploadDir);
    const second = await startBridge({ core, rendererDir: path.join(dir, 'renderer') });
    try {
      expect(fs.existsSync(dead)).toBe(false);
      expect(fs.existsSync(live)).toBe(true);
    } finally {
      await second.close();
    }
  });
  describe('path capabilities: a call names only paths this bridge handed out', () => {
    const error = (reply: Reply) => (JSON.parse(reply.body) as { ok: boolean; error?: { code: string; message: string } }).error;

    it('refuses to read a file that was not uploaded', async () => {
      const secret = path.join(dir, 'secret.csv');
      fs.writeFileSync(secret, 'password,pin\nhunter2,1234\n');
      await call('project.create', { path: path.join(bridge.projectDir, 'p.fieldbook') });
      for (const [method, input] of [
        ['survey.preview', { path: secret }],
        ['survey.import', { path: secret }],
        ['transcripts.preview', { files: [secret] }],
        ['transcripts.import', { files: [{ path: secret }] }],
        ['participants.previewSheet', { path: secret }],
        ['codes.import', { path: secret }],
        ['import.qdpx', { path: secret }],
        ['suggest.eval', { dataPath: secret }],
      ] as const) {
        const reply = await call(method, input);
        expect(error(reply)?.code, method).toBe('NOT_ALLOWED');
        expect(reply.body, method).not.toContain('hunter2');
      }
      expect(JSON.parse((await call('survey.datasets', {})).body).result).toEqual([]);
    });

    it('refuses to write an export anywhere but an outbox slot', async () => {
      await call('project.create', { path: path.join(bridge.projectDir, 'p.fieldbook') });
      const target = path.join(dir, 'startup.sh');
      const reply = await call('export.codebook', { path: target, format: 'md' });
      expect(error(reply)?.code).toBe('NOT_ALLOWED');
      expect(fs.existsSync(target) || fs.existsSync(`${target}.md`)).toBe(false);
      const slot = JSON.parse((await request(`${bridge.url}/api/outbox`, { method: 'POST', headers: own(), body: JSON.stringify({ defaultName: 'codebook.md' }) })).body) as { path: string };
      const done = JSON.parse((await call('export.codebook', { path: slot.path, format: 'md' })).body) as { ok: boolean; result: { path: string } };
      expect(done.ok).toBe(true);
      expect(fs.existsSync(done.result.path)).toBe(true);
    });

    it('creates projects only in its project folder, and never replaces a file', async () => {
      const victim = path.join(dir, 'thesis.fieldbook');
      fs.writeFileSync(victim, 'years of work');
      expect(error(await call('project.create', { path: victim, overwrite: true }))?.code).toBe('NOT_ALLOWED');
      expect(error(await call('project.create', { path: path.join(dir, 'new.fieldbook') }))?.code).toBe('NOT_ALLOWED');
      expect(error(await call('project.openSample', { path: path.join(dir, 'sample.fieldbook') }))?.code).toBe('NOT_ALLOWED');
      const inside = path.join(bridge.projectDir, 'thesis.fieldbook');
      expect(JSON.parse((await call('project.create', { path: inside })).body).ok).toBe(true);
      await call('project.close', {});
      expect(error(await call('project.create', { path: inside, overwrite: true }))?.code).toBe('NOT_ALLOWED');
      expect(fs.readFileSync(victim, 'utf8')).toBe('years of work');
      // Opening takes a typed path (the web Open dialog): only a Fieldbook project opens.
      const opened = error(await call('project.open', { path: victim }));
      expect(opened?.code).toBe('NOT_SQLITE');
      expect(fs.readFileSync(victim, 'utf8')).toBe('years of work');
    });
  });
});
