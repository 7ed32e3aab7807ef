import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../../core/core';
import { dispatch, toErrorInfo, type Envelope } from '../../core/dispatch';
import type { CoreEvent } from '../../shared/events';

export interface BridgeOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface Bridge {
  url: string;
  /** The address to open: carries the token once; the page then keeps it in a cookie. */
  openUrl: string;
  token: string;
  port: number;
  uploadDir: string;
  outboxDir: string;
  close(): Promise<void>;
}

const COOKIE = 'fieldbook_token';
const MAX_CALL_BYTES = 20 * 1024 * 1024;
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function safeName(name: string): string {
  const base = path.basename(name).replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^\.+/, '').slice(0, 180);
  return base || 'file';
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('Request too large.'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * The loopback web bridge: serves the built renderer and runs the same dispatch as Electron's
 * IPC. Listens on 127.0.0.1 only; every request must carry the random token (header, query or
 * the cookie set when the page was first opened with it).
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const workDir = path.join(core.settings.appDataDir, 'web-bridge');
  const uploadDir = path.join(workDir, 'uploads');
  const outboxDir = path.join(workDir, 'outbox');
  fs.mkdirSync(uploadDir, { recursive: true });
  fs.mkdirSync(outboxDir, { recursive: true });
  const rendererDir = path.resolve(options.rendererDir);
  const streams = new Set<http.ServerResponse>();
  const unsubscribe = core.onEvent((event: CoreEvent) => {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(data);
  });
  let port = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // DNS-rebinding guard: only our own loopback origin may talk to us.
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
        res.writeHead(403).end('Forbidden');
        return;
      }
      const given =
        (req.headers['x-fieldbook-token'] as string | undefined) ??
        url.searchParams.get('token') ??
        readCookie(req.headers.cookie, COOKIE);
      if (given !== token) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end(
          'Fieldbook: this address needs the token printed when the bridge started.',
        );
        return;
      }
      const cookie = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;

      if (url.pathname === '/api/call' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req, MAX_CALL_BYTES)) as { method?: unknown; input?: unknown; jobId?: unknown };
        const envelope: Envelope = await dispatch(core, {
          method: String(body.method ?? ''),
          input: body.input,
          jobId: typeof body.jobId === 'string' ? body.jobId : undefined,
        });
        send(res, 200, envelope);
        return;
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        const name = safeName(url.searchParams.get('name') ?? 'upload');
        const folder = path.join(uploadDir, randomUUID());
        fs.mkdirSync(folder, { recursive: true });
        const target = path.join(folder, name);
        await pipeline(req, fs.createWriteStream(target));
        send(res, 200, { path: target });
        return;
      }
      if (url.pathname === '/api/outbox' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req, 64 * 1024)) as { defaultName?: unknown };
        const folder = path.join(outboxDir, randomUUID());
        fs.mkdirSync(folder, { recursive: true });
        send(res, 200, { path: path.join(folder, safeName(String(body.defaultName ?? 'export'))) });
        return;
      }
      if (url.pathname === '/api/download' && req.method === 'GET') {
        const requested = path.resolve(url.searchParams.get('path') ?? '');
        if (!requested.startsWith(outboxDir + path.sep) || !fs.existsSync(requested)) {
          send(res, 404, { code: 'NOT_FOUND', message: 'No such export.' });
          return;
        }
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(requested))}`,
        });
        await pipeline(fs.createReadStream(requested), res);
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      // Static renderer files; unknown paths fall back to index.html (client-side routes).
      let file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
      if (!file.startsWith(rendererDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        file = path.join(rendererDir, 'index.html');
      }
      if (!fs.existsSync(file)) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The renderer is not built: run `npm run build`.');
        return;
      }
      const ext = path.extname(file);
      res.writeHead(200, {
        'Content-Type': MIME[ext] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'Set-Cookie': cookie,
      });
      fs.createReadStream(file).pipe(res);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (!res.headersSent) send(res, status, { ok: false, error: toErrorInfo(error) });
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    port,
    uploadDir,
    outboxDir,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
