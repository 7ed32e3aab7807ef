/**
 * The renderer's Content-Security-Policy, sent by both hosts (Electron's main process on every
 * response, the web bridge with every page): scripts only from the app itself, nothing loaded from
 * elsewhere, no frames, forms, plugins or <base>. `style-src 'unsafe-inline'`: React sets style
 * attributes; a style cannot run code. (The page's own <meta> copy in src/renderer/index.html
 * cannot carry frame-ancestors.)
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
