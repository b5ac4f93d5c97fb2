import fs from 'node:fs';
import path from 'node:path';
import { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * Serves the designer web app (a Vite build: index.html + hashed files under assets/) at `/`.
 * Unknown page paths get index.html (the app routes in the browser); API, explorer and
 * OpenAPI paths never reach here. Hashed assets are cached for a year; index.html is revalidated.
 */
export class WebApp {
  private readonly gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

  private constructor(readonly root: string) {}

  /** The app in `dir`, or undefined when no build is there (the platform then serves its start page). */
  static at(dir: string | undefined): WebApp | undefined {
    if (!dir) return undefined;
    const root = path.resolve(dir);
    return fs.existsSync(path.join(root, 'index.html')) ? new WebApp(root) : undefined;
  }

  /** Whether this request is the app's: GET/HEAD outside the API, the explorer and the OpenAPI document. */
  claims(req: IncomingMessage): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    return !(url.startsWith('/api/') || url === '/api' || url.startsWith('/explorer') || url.startsWith('/openapi.json'));
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const pathname = this.pathname(req.url ?? '/');
    if (pathname === undefined) return this.notFound(res);
    const file = pathname === '/' ? undefined : this.file(pathname);
    if (file) return this.send(req, res, file, pathname.startsWith('/assets/'));
    // A missing asset is a 404; any other path is a page of the single-page app.
    if (pathname.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(pathname)) return this.notFound(res);
    this.send(req, res, path.join(this.root, 'index.html'), false);
  }

  private pathname(url: string): string | undefined {
    try {
      const decoded = decodeURIComponent(url.split('?')[0].split('#')[0]);
      if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return undefined;
      return path.posix.normalize(decoded);
    } catch {
      return undefined;
    }
  }

  private file(pathname: string): string | undefined {
    const full = path.join(this.root, pathname);
    if (!full.startsWith(this.root + path.sep)) return undefined;
    try {
      return fs.statSync(full).isFile() ? full : undefined;
    } catch {
      return undefined;
    }
  }

  private send(req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return this.notFound(res);
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string | number> = {
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'last-modified': stat.mtime.toUTCString(),
      vary: 'accept-encoding',
    };
    if (type.startsWith('text/html')) Object.assign(headers, PAGE_HEADERS);
    if (!immutable && req.headers['if-modified-since'] && new Date(req.headers['if-modified-since']).getTime() >= Math.floor(stat.mtimeMs / 1000) * 1000) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body: Buffer = fs.readFileSync(file);
    if (COMPRESSIBLE.test(type) && body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      body = this.gzip(file, stat.mtimeMs, body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Compressed once per file version and kept: the build's files are few and do not change while served. */
  private gzip(file: string, mtimeMs: number, raw: Buffer): Buffer {
    const hit = this.gzipped.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.body;
    const body = gzipSync(raw, { level: 6 });
    this.gzipped.set(file, { mtimeMs, body });
    return body;
  }

  private notFound(res: ServerResponse): void {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  }
}

/**
 * The app's page policy. antd's CSS-in-JS writes <style> elements at run time, hence
 * 'unsafe-inline' for styles only; scripts come from this origin alone (no eval, no inline).
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': APP_CSP,
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
};

const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/svg)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** `<repo>/designer/dist`, found from this file (platform/dist/api or platform/src/api). */
export function defaultDesignerDir(): string {
  return path.resolve(__dirname, '..', '..', '..', 'designer', 'dist');
}
