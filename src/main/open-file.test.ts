import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProjectOpener, openFailureMessage, projectPathFromArgv } from './open-file';

const packaged = { defaultApp: false, cwd: '/home/ana' };
const checkout = { defaultApp: true, cwd: '/home/ana/fieldbook' };

describe('projectPathFromArgv', () => {
  it('takes the path after the executable in a packaged app (a double-clicked file on Windows and Linux)', () => {
    expect(projectPathFromArgv(['/opt/Fieldbook/fieldbook', '/data/Wave 2.fieldbook'], packaged)).toBe('/data/Wave 2.fieldbook');
  });

  it('resolves a relative path against the folder the command was run in', () => {
    expect(projectPathFromArgv(['fieldbook', 'studies/wave2.fieldbook'], packaged)).toBe('/home/ana/studies/wave2.fieldbook');
    // A second launch forwards its own argv and working folder.
    expect(projectPathFromArgv(['fieldbook', '../b.fieldbook'], { defaultApp: false, cwd: '/srv/x' })).toBe('/srv/b.fieldbook');
  });

  it('in a checkout skips the app folder, and skips switches wherever they stand (as Playwright and Chromium add them)', () => {
    const argv = ['/repo/node_modules/electron/dist/electron', '--inspect=0', '--remote-debugging-port=0', '/repo', '--no-sandbox', 'a.fieldbook'];
    expect(projectPathFromArgv(argv, checkout)).toBe('/home/ana/fieldbook/a.fieldbook');
    expect(projectPathFromArgv(['electron', '.', '--enable-logging'], checkout)).toBeNull();
  });

  it('finds nothing when only the app was started', () => {
    expect(projectPathFromArgv(['/opt/Fieldbook/fieldbook'], packaged)).toBeNull();
    expect(projectPathFromArgv(['/opt/Fieldbook/fieldbook', '--no-sandbox', ''], packaged)).toBeNull();
    // macOS's Finder once passed a process serial number switch.
    expect(projectPathFromArgv(['/Applications/Fieldbook.app/Contents/MacOS/Fieldbook', '-psn_0_1234567'], packaged)).toBeNull();
  });

  it('takes the first of several files: one window shows one project', () => {
    expect(projectPathFromArgv(['fieldbook', '/a.fieldbook', '/b.fieldbook'], packaged)).toBe('/a.fieldbook');
  });

  it('reads a file: URL (Linux desktop entries pass %U) and refuses other URLs', () => {
    const file = path.resolve('/home/ana/Études & notes/wave #2.fieldbook');
    const url = pathToFileURL(file).href;
    expect(url).toContain('%20');
    expect(projectPathFromArgv(['fieldbook', url], packaged)).toBe(file);
    expect(projectPathFromArgv(['fieldbook', 'https://example.org/study.fieldbook'], packaged)).toBeNull();
  });
});

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createProjectOpener', () => {
  it('holds requests until ready (macOS sends open-file before the app is ready), then opens them in order', async () => {
    const opened: string[] = [];
    const opener = createProjectOpener(async (p) => {
      opened.push(p);
    });
    opener.request('/a.fieldbook');
    opener.request(null);
    opener.request('/b.fieldbook');
    await opener.idle();
    expect(opened).toEqual([]);
    opener.ready();
    await opener.idle();
    expect(opened).toEqual(['/a.fieldbook', '/b.fieldbook']);
    opener.request('/c.fieldbook');
    await opener.idle();
    expect(opened).toEqual(['/a.fieldbook', '/b.fieldbook', '/c.fieldbook']);
  });

  it('runs one open at a time, and a failed open does not stop the next', async () => {
    const events: string[] = [];
    const first = deferred();
    const opener = createProjectOpener(async (p) => {
      events.push(`start ${p}`);
      if (p === '/first.fieldbook') await first.promise;
      events.push(`end ${p}`);
    });
    opener.ready();
    opener.request('/first.fieldbook');
    opener.request('/second.fieldbook');
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['start /first.fieldbook']);
    first.reject(new Error('not a Fieldbook project'));
    await opener.idle();
    expect(events).toEqual(['start /first.fieldbook', 'start /second.fieldbook', 'end /second.fieldbook']);
  });
});

describe('openFailureMessage', () => {
  it('names the file and gives the reason and the full path', () => {
    expect(openFailureMessage('/data/notes.fieldbook', 'notes.fieldbook is not a SQLite file.')).toEqual({
      message: 'Fieldbook could not open notes.fieldbook',
      detail: 'notes.fieldbook is not a SQLite file.\n\n/data/notes.fieldbook',
    });
  });
});
