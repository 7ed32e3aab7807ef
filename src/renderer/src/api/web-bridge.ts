import type { FieldbookBridge } from '../../../shared/api';
import type { CoreEvent } from '../../../shared/events';
import { FieldbookError, isErrorInfo } from '../../../shared/errors';

/**
 * The token the bridge printed arrives once in the address (`/?token=…`). It is kept in this tab's
 * sessionStorage (per origin: no other local port can read it) and taken out of the address bar at
 * once, so it never stays in the history, a bookmark or a screenshot. It is sent only in the
 * X-Fieldbook-Token header: the bridge takes it from nowhere else.
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('fieldbook-token', fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return fromUrl ?? sessionStorage.getItem('fieldbook-token') ?? '';
}

/** The message the bridge answered a refused request with, or a plain one from its status. */
async function refusal(response: Response, what: string): Promise<FieldbookError> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (isErrorInfo(body.error)) return FieldbookError.fromInfo(body.error);
  } catch {
    // Not JSON: fall through.
  }
  return new FieldbookError('IO_ERROR', `${what} (HTTP ${response.status}).`);
}

/**
 * The bridge when the renderer runs in a browser against `npm run web`: the same typed API over
 * HTTP on 127.0.0.1.
 */
export function createWebBridge(): FieldbookBridge {
  const token = takeToken();
  const headers = { 'Content-Type': 'application/json', 'X-Fieldbook-Token': token };
  const listeners = new Set<(event: CoreEvent) => void>();
  let streaming = false;

  // Server-sent events read through fetch, not EventSource: EventSource cannot send a header.
  const ensureEvents = () => {
    if (streaming) return;
    streaming = true;
    void (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await fetch('/api/events', { headers: { 'X-Fieldbook-Token': token } });
          if (response.status === 401 || !response.body) return;
          attempt = 0;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const message = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = message
                .split('\n')
                .filter((line) => line.startsWith('data: '))
                .map((line) => line.slice(6))
                .join('\n');
              if (!data) continue;
              const event = JSON.parse(data) as CoreEvent;
              for (const listener of listeners) listener(event);
            }
          }
        } catch {
          // The bridge restarted or the connection dropped: try again shortly.
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    })();
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
    if (!response.ok) throw await refusal(response, `Could not hand ${file.name} to Fieldbook`);
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
      // Fetched with the token header, then saved from memory: a plain link cannot carry the header.
      const response = await fetch(`/api/download?path=${encodeURIComponent(filePath)}`, { headers: { 'X-Fieldbook-Token': token } });
      if (!response.ok) throw await refusal(response, 'Could not download the export');
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = filePath.split(/[\\/]/).pop() ?? 'export';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    onMenu() {
      // Browsers have no native menu: the shell's own keyboard shortcuts cover these commands.
      return () => undefined;
    },
  };
}
