import type { FieldbookBridge } from '../../../shared/api';
import type { CoreEvent } from '../../../shared/events';
import { FieldbookError, isErrorInfo } from '../../../shared/errors';

/**
 * The bridge when the renderer runs in a browser against `npm run web`: the same typed API over
 * HTTP on 127.0.0.1. The token arrives once in the address; the server then sets a cookie.
 */
export function createWebBridge(): FieldbookBridge {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) sessionStorage.setItem('fieldbook-token', fromUrl);
  const token = fromUrl ?? sessionStorage.getItem('fieldbook-token') ?? '';
  const headers = { 'Content-Type': 'application/json', 'X-Fieldbook-Token': token };
  const listeners = new Set<(event: CoreEvent) => void>();
  let source: EventSource | null = null;

  const ensureEvents = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as CoreEvent;
      for (const listener of listeners) listener(event);
    };
  };

  // A browser opens at most six connections to one host, and the event stream keeps one. While an
  // import is being saved, other calls wait in the core, each holding a connection: with five of
  // them waiting, the user's Cancel could not be sent at all. Calls and uploads take turns on
  // four connections, so a cancel always finds one free.
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const limited = async <T,>(request: () => Promise<T>): Promise<T> => {
    if (inFlight >= 4) await new Promise<void>((resolve) => queue.push(resolve));
    else inFlight++;
    try {
      return await request();
    } finally {
      const next = queue.shift();
      if (next) next();
      else inFlight--;
    }
  };

  const upload = (file: File): Promise<string> => limited(() => uploadNow(file));
  const uploadNow = async (file: File): Promise<string> => {
    const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'X-Fieldbook-Token': token, 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw new FieldbookError('IO_ERROR', `Could not hand ${file.name} to Fieldbook (HTTP ${response.status}).`);
    return ((await response.json()) as { path: string }).path;
  };

  return {
    host: 'web',
    async call(method, input, options) {
      // The whole answer is read before the connection counts as free again.
      const send = async () => {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers,
          body: JSON.stringify({ method, input, jobId: options?.jobId }),
        });
        return { status: response.status, body: response.status === 401 ? null : ((await response.json()) as { ok: boolean; result?: unknown; error?: unknown }) };
      };
      const { status, body: envelope } = await (method === 'jobs.cancel' ? send() : limited(send));
      if (status === 401 || !envelope) {
        throw new FieldbookError('INVALID_INPUT', 'This page lost its Fieldbook token. Open the address printed by `npm start` again.');
      }
      if (envelope.ok) return envelope.result as never;
      throw isErrorInfo(envelope.error)
        ? FieldbookError.fromInfo(envelope.error)
        : new FieldbookError('INTERNAL', `Fieldbook answered with HTTP ${status}.`);
    },
    onEvent(listener) {
      ensureEvents();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openFiles(options) {
      return new Promise((resolve, reject) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = options.multiple ?? false;
        const extensions = (options.filters ?? []).flatMap((f) => f.extensions).filter((e) => e !== '*');
        if (extensions.length) input.accept = extensions.map((e) => `.${e}`).join(',');
        input.style.display = 'none';
        input.dataset.testid = 'file-input';
        input.addEventListener('change', () => {
          const files = Array.from(input.files ?? []);
          input.remove();
          if (files.length === 0) return resolve(null);
          Promise.all(files.map(upload)).then(resolve, reject);
        });
        input.addEventListener('cancel', () => {
          input.remove();
          resolve(null);
        });
        document.body.appendChild(input);
        input.click();
      });
    },
    filesFromDrop: (files) => Promise.all(files.map(upload)),
    async saveFile(options) {
      const response = await fetch('/api/outbox', { method: 'POST', headers, body: JSON.stringify({ defaultName: options.defaultName }) });
      if (!response.ok) return null;
      return ((await response.json()) as { path: string }).path;
    },
    async revealFile(filePath) {
      const link = document.createElement('a');
      link.href = `/api/download?path=${encodeURIComponent(filePath)}&token=${encodeURIComponent(token)}`;
      link.download = filePath.split(/[\\/]/).pop() ?? 'export';
      document.body.appendChild(link);
      link.click();
      link.remove();
    },
    onMenu() {
      // Browsers have no native menu: the shell's own keyboard shortcuts cover these commands.
      return () => undefined;
    },
  };
}
