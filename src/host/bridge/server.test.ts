import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/core';
import { tempDir } from '../../core/testing/index';
import { startBridge, type Bridge } from './server';

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
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

describe('web bridge', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let bridge: Bridge;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Fieldbook</title>');
    core = createCore({ appDataDir: path.join(dir, 'app'), host: 'web', version: 't', sampleDir: path.join(dir, 'none') });
    bridge = await startBridge({ core, rendererDir });
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

  it('refuses every request without the token', async () => {
    expect((await request(`${bridge.url}/`)).status).toBe(401);
    const call = await request(`${bridge.url}/api/call`, { method: 'POST', body: JSON.stringify({ method: 'app.info', input: {} }) });
    expect(call.status).toBe(401);
    expect((await request(`${bridge.url}/api/call`, { method: 'POST', headers: { 'X-Fieldbook-Token': 'wrong' }, body: '{}' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await request(`${bridge.url}/?token=${bridge.token}`, { headers: { Host: 'evil.example:80' } });
    expect(res.status).toBe(403);
  });

  it('serves the renderer with a strict CSP and sets the token cookie', async () => {
    const res = await request(bridge.openUrl);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Fieldbook</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(String(res.headers['set-cookie'])).toContain('HttpOnly');
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    expect((await request(`${bridge.url}/`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('runs the same dispatch: results, validation errors and core errors as values', async () => {
    const headers = { 'X-Fieldbook-Token': bridge.token, 'Content-Type': 'application/json' };
    const post = async (body: unknown) => JSON.parse((await request(`${bridge.url}/api/call`, { method: 'POST', headers, body: JSON.stringify(body) })).body);
    const info = await post({ method: 'app.info', input: {} });
    expect(info).toMatchObject({ ok: true, result: { host: 'web', openProject: null } });
    const invalid = await post({ method: 'project.open', input: { path: 42 } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field: 'path' } } });
    const missing = await post({ method: 'project.open', input: { path: path.join(dir, 'nope.fieldbook') } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const created = await post({ method: 'project.create', input: { path: path.join(dir, 'web.fieldbook') } });
    expect(created).toMatchObject({ ok: true, result: { name: 'web' } });
    expect(core.currentProject()?.path).toBe(path.join(dir, 'web.fieldbook'));
  });

  it('stores uploads and serves only files from its outbox', async () => {
    const headers = { 'X-Fieldbook-Token': bridge.token };
    const upload = JSON.parse((await request(`${bridge.url}/api/upload?name=${encodeURIComponent('../../evil name.csv')}`, { method: 'POST', headers, body: 'a,b\n1,2\n' })).body) as { path: string };
    expect(upload.path.startsWith(bridge.uploadDir)).toBe(true);
    expect(path.basename(upload.path)).toBe('evil name.csv');
    expect(fs.readFileSync(upload.path, 'utf8')).toBe('a,b\n1,2\n');
    const outside = await request(`${bridge.url}/api/download?path=${encodeURIComponent(upload.path)}`, { headers });
    expect(outside.status).toBe(404);
    const slot = JSON.parse((await request(`${bridge.url}/api/outbox`, { method: 'POST', headers, body: JSON.stringify({ defaultName: 'table.csv' }) })).body) as { path: string };
    fs.writeFileSync(slot.path, 'x,y\n');
    const download = await request(`${bridge.url}/api/download?path=${encodeURIComponent(slot.path)}`, { headers });
    expect(download.status).toBe(200);
    expect(download.body).toBe('x,y\n');
    expect(download.headers['content-disposition']).toContain('table.csv');
  });
});
