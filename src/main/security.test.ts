import { describe, expect, it } from 'vitest';
import { CSP, denyPermissionCheck, denyPermissionRequest, externalLink, isAppUrl, rendererEntry, viewMenu } from './security';

describe('main-process security decisions', () => {
  const indexFile = '/opt/Fieldbook/resources/app/out/renderer/index.html';

  it('a packaged app loads its own files, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererEntry({ isPackaged: true, devUrl: 'http://localhost:5173', indexFile })).toEqual({ kind: 'file', file: indexFile });
    expect(rendererEntry({ isPackaged: false, devUrl: 'http://localhost:5173/', indexFile })).toEqual({ kind: 'url', url: 'http://localhost:5173/' });
    // Even in development, only a loopback dev server.
    for (const devUrl of ['https://evil.example/', 'http://192.168.1.5:5173', 'file:///tmp/x.html', 'not a url', '']) {
      expect(rendererEntry({ isPackaged: false, devUrl, indexFile }), devUrl).toEqual({ kind: 'file', file: indexFile });
    }
  });

  it('knows its own page, with any route, and nothing else', () => {
    const files = rendererEntry({ isPackaged: true, devUrl: undefined, indexFile });
    expect(isAppUrl(`file://${indexFile}`, files)).toBe(true);
    expect(isAppUrl(`file://${indexFile}#/codebook/code/3`, files)).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html', files)).toBe(false);
    expect(isAppUrl('https://evil.example/index.html', files)).toBe(false);
    expect(isAppUrl('about:blank', files)).toBe(false);
    const dev = rendererEntry({ isPackaged: false, devUrl: 'http://localhost:5173', indexFile });
    expect(isAppUrl('http://localhost:5173/#/data', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
  });

  it('opens only plain https links outside', () => {
    expect(externalLink('https://example.org/docs?a=1')).toBe('https://example.org/docs?a=1');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'http://example.org', 'smb://server/share', 'https://user:pw@example.org', 'x']) {
      expect(externalLink(bad), bad).toBeNull();
    }
  });

  it('denies every permission, asked or checked', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) denyPermissionRequest({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(denyPermissionCheck()).toBe(false);
  });

  it('has no DevTools in a packaged app', () => {
    const roles = (packaged: boolean) => viewMenu(packaged).map((item) => item.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('toggleDevTools');
  });

  it('a strict policy: nothing loaded or run from elsewhere', () => {
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});
