import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../../core/core';
import { dispatch, toErrorInfo, type Envelope } from '../../core/dispatch';
import { PathGate } from '../paths';
import { isMethodName, contract } from '../../shared/contract/index';
import { pathUses } from '../../shared/contract/paths';
import type { ErrorCode } from '../../shared/errors';
import type { CoreEvent } from '../../shared/events';
import { RENDERER_CSP } from '../../shared/csp';

export interface BridgeOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** The largest upload taken, in bytes (default 2 GiB); a larger one gets a 413. */
  maxUploadBytes?: number;
}

export interface Bridge {
  url: string;
  /** The address to open: carries the token once; the page keeps it in sessionStorage and takes it out of the address. */
  openUrl: string;
  token: string;
  port: number;
  uploadDir: string;
  outboxDir: string;
  /** Where the web host creates projects (the core's default project folder). */
  projectDir: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const MAX_CALL_BYTES = 20 * 1024 * 1024;
const CSP = RENDERER_CSP;
/** Sent with every answer: no other origin may embed, frame or read what this server sends. */
const ISOLATION = {
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};
/** Calls that consume an uploaded file: once one succeeds, the upload is deleted. */
const CONSUMES_UPLOADS = new Set(['survey.import', 'transcripts.import', 'participants.importSheet', 'codes.import', 'import.qdpx']);

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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function safeName(name: string): string {
  const base = path.basename(name).replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^\.+/, '').slice(0, 180);
  return base || 'file';
}

function mediaType(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function requireType(req: http.IncomingMessage, type: string): void {
  if (mediaType(req) !== type) {
    throw new HttpError(415, 'INVALID_INPUT', `This address takes ${type} only.`);
  }
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'TOO_LARGE', 'Request too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new HttpError(400, 'INVALID_INPUT', 'The request body is not a JSON object.');
}

/**
 * Streams an upload to disk, counting as it goes (a chunked body has no length up front). Over the
 * limit, it stops writing and reads the rest away, so the client still gets the 413.
 */
function receiveFile(req: http.IncomingMessage, target: string, limit: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(target, { flags: 'wx' });
    let size = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe();
      out.destroy();
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        fail(tooLarge(name, limit));
        return;
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      if (!failed) out.end(() => resolve());
    });
    req.on('error', fail);
    out.on('error', fail);
  });
}

function tooLarge(name: string, limit: number): HttpError {
  return new HttpError(413, 'TOO_LARGE', `${name} is larger than this Fieldbook takes through the browser (${limit} bytes; start it with --max-upload-mb to change the limit).`);
}

function send(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...ISOLATION, 'Content-Type': 'application/json; charset=utf-8', ...extra });
  res.end(text);
}

/** Constant time, whatever the given token's length: nothing to learn from how long a refusal takes. */
function tokenChecker(token: string): (given: unknown) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (given) => typeof given === 'string' && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
}

/**
 * Why a request to /api/* comes from somewhere other than our own page, or null. A browser names
 * the page that sent it (Origin, Sec-Fetch-Site) and a page cannot forge either; another port of
 * 127.0.0.1 is another origin but the *same site*, so only "same-origin" passes. A request with
 * neither header is not from a browser page (a script on this machine): the token decides.
 */
function foreignSender(req: http.IncomingMessage, port: number): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    return `a page at ${origin}`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `a ${site} request`;
  return null;
}

/** Each bridge keeps its files in a folder of its own; folders of bridges no longer running are removed. */
function makeWorkDir(root: string): string {
  fs.mkdirSync(root, { recursive: true });
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const folder = path.join(root, entry.name);
    if (!entry.isDirectory()) continue;
    let alive = false;
    try {
      const pid = Number(fs.readFileSync(path.join(folder, 'pid'), 'utf8'));
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (error) {
          alive = (error as { code?: string }).code === 'EPERM';
        }
      }
    } catch {
      // No pid file: a folder of an older Fieldbook, or one being made right now (spared for a minute).
      alive = Date.now() - fs.statSync(folder).mtimeMs < 60_000;
    }
    if (!alive) fs.rmSync(folder, { recursive: true, force: true });
  }
  const dir = path.join(root, randomUUID());
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  return dir;
}

/**
 * The loopback web bridge: serves the built renderer and runs the same dispatch as Electron's IPC.
 * Listens on 127.0.0.1 only. Every /api/* request must come from our own page (Origin,
 * Sec-Fetch-Site) and carry the random token in its X-Fieldbook-Token header: never a cookie (a
 * cookie is scoped to the host, not the port, so every local server would receive it) and never
 * the address. Calls are application/json only, which a page of another origin cannot send without
 * a CORS preflight, and preflights are refused. Paths in calls must be ones this bridge handed out
 * (uploads, export slots, its project folder): see PathGate.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const validToken = tokenChecker(token);
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const workDir = makeWorkDir(path.join(core.settings.appDataDir, 'web-bridge'));
  const uploadDir = path.join(workDir, 'uploads');
  const outboxDir = path.join(workDir, 'outbox');
  const projectDir = path.join(core.settings.appDataDir, 'projects');
  fs.mkdirSync(uploadDir, { recursive: true });
  fs.mkdirSync(outboxDir, { recursive: true });
  const rendererDir = path.resolve(options.rendererDir);

  const gate = new PathGate();
  gate.grantFolder(projectDir, ['create', 'project']);
  // The web host has no native dialog: its Open dialog takes a typed path. Opening only ever
  // accepts a Fieldbook project (anything else is refused before a byte is read past its header
  // or written), so it reads no arbitrary file; reads, writes and replacing stay capability-only.
  gate.grantAnywhere(['project']);

  const streams = new Set<http.ServerResponse>();
  const unsubscribe = core.onEvent((event: CoreEvent) => {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(data);
  });
  let port = 0;

  const removeUpload = (file: string) => {
    const folder = path.dirname(path.resolve(file));
    if (path.dirname(folder) !== uploadDir) return;
    gate.revoke(file);
    fs.rmSync(folder, { recursive: true, force: true });
  };

  const handleApi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const foreign = foreignSender(req, port);
    if (foreign || req.method === 'OPTIONS') {
      throw new HttpError(403, 'NOT_ALLOWED', `Fieldbook refused ${foreign ?? 'a cross-origin preflight'}: only its own page may call it.`);
    }
    if (!validToken(req.headers['x-fieldbook-token'])) {
      throw new HttpError(401, 'NOT_ALLOWED', 'Fieldbook: this page needs the token printed when the bridge started. Open that address again.');
    }

    if (url.pathname === '/api/call' && req.method === 'POST') {
      requireType(req, 'application/json');
      const body = readJson(await readBody(req, MAX_CALL_BYTES));
      const method = String(body.method ?? '');
      const refused = gate.check(method, body.input);
      if (refused) {
        send(res, 200, { ok: false, error: refused } satisfies Envelope);
        return;
      }
      const envelope: Envelope = await dispatch(core, {
        method,
        input: body.input,
        jobId: typeof body.jobId === 'string' ? body.jobId : undefined,
      });
      if (envelope.ok) {
        gate.learn(method, envelope.result);
        if (CONSUMES_UPLOADS.has(method) && isMethodName(method)) {
          const input = contract[method].input.parse(body.input ?? {});
          for (const use of pathUses(method, input as never)) if (use.access === 'read') removeUpload(use.path);
        }
      }
      send(res, 200, envelope);
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { ...ISOLATION, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      requireType(req, 'application/octet-stream');
      const name = safeName(url.searchParams.get('name') ?? 'upload');
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxUpload) throw tooLarge(name, maxUpload);
      const folder = path.join(uploadDir, randomUUID());
      fs.mkdirSync(folder, { recursive: true });
      const target = path.join(folder, name);
      try {
        await receiveFile(req, target, maxUpload, name);
      } catch (error) {
        fs.rmSync(folder, { recursive: true, force: true });
        throw error;
      }
      gate.grantFile(target, ['read']);
      send(res, 200, { path: target });
      return;
    }
    if (url.pathname === '/api/outbox' && req.method === 'POST') {
      requireType(req, 'application/json');
      const body = readJson(await readBody(req, 64 * 1024));
      const folder = path.join(outboxDir, randomUUID());
      fs.mkdirSync(folder, { recursive: true });
      const slot = path.join(folder, safeName(String(body.defaultName ?? 'export')));
      gate.grantFile(slot, ['write']);
      send(res, 200, { path: slot });
      return;
    }
    if (url.pathname === '/api/download' && req.method === 'GET') {
      const requested = path.resolve(url.searchParams.get('path') ?? '');
      if (!requested.startsWith(outboxDir + path.sep) || !fs.existsSync(requested)) {
        send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'No such export.' } });
        return;
      }
      res.writeHead(200, {
        ...ISOLATION,
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(requested))}`,
      });
      await pipeline(fs.createReadStream(requested), res);
      return;
    }
    throw new HttpError(404, 'NOT_FOUND', 'No such address.');
  };

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, ISOLATION).end();
      return;
    }
    // The renderer's own files hold no data (every datum comes through /api with the token), so
    // they are served without it: a reload finds the app after the token left the address bar.
    let file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(rendererDir, 'index.html');
    }
    if (!fs.existsSync(file)) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The renderer is not built: run `npm run build`.');
      return;
    }
    res.writeHead(200, {
      ...ISOLATION,
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  };

  const server = http.createServer(async (req, res) => {
    try {
      // DNS-rebinding guard: only our own loopback host name may talk to us.
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
        res.writeHead(403, ISOLATION).end('Forbidden');
        return;
      }
      let url: URL;
      try {
        // Decoding the whole target once finds every malformed %-escape, in the path or the query.
        decodeURIComponent(req.url ?? '/');
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        throw new HttpError(400, 'INVALID_INPUT', 'The address is not valid (a malformed %-escape).');
      }
      if (url.pathname.startsWith('/api/')) await handleApi(req, res, url);
      else serveStatic(req, res, url);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const info = error instanceof HttpError ? { code: error.code, message: error.message } : toErrorInfo(error);
      // A refused upload's body may still be arriving: answer, then close instead of reading it all.
      if (!res.headersSent) send(res, status, { ok: false, error: info }, status === 413 ? { Connection: 'close' } : {});
      else res.end();
    }
  });
  // No WebSockets are served: refuse every upgrade (a page of any origin may ask for one).
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
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
    projectDir,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
