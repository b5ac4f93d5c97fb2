import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, payloadTooLarge, sqlState } from './errors';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendJson(res, err.statusCode, err);
    return;
  }
  // SQLSTATE class 22 (data exception): a value the client sent does not fit, e.g. out of range.
  if (sqlState(err)?.startsWith('22')) {
    sendJson(res, 400, badRequest('a value does not fit its field', [{ rule: 'data', message: `database rejected a value (SQLSTATE ${sqlState(err)})` }]));
    return;
  }
  // Unexpected: log the kind and code only (never the request body: it may hold personal data).
  const e = err as { name?: string; code?: string; message?: string };
  const ref = Math.random().toString(36).slice(2, 10);
  console.error(`[lingshu] internal error ${ref}: ${e?.name ?? 'Error'} ${e?.code ?? ''} ${String(e?.message ?? '').slice(0, 200)}`);
  sendJson(res, 500, { error: { statusCode: 500, name: 'InternalServerError', message: `internal error (reference ${ref})` } });
}

/** Reads a JSON body up to `limit` bytes; an empty body is `undefined`. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'UnsupportedMediaType', 'the request body must be application/json');
  }
  const body = await readBody(req, limit);
  if (body.length === 0) throw badRequest('the request body is empty');
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`, [
      { rule: 'json', message: (err as Error).message },
    ]);
  }
}

/** Reads a whole request body up to `limit` bytes (413 beyond). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw payloadTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw payloadTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Headers every response carries. API answers are data, never pages: nothing may frame, sniff or
 * run them. The explorer (a page with its own scripts) gets the framing and sniffing rules only.
 */
export function securityHeaders(res: ServerResponse, url: string): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  if (url.startsWith('/api/')) {
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('cache-control', 'no-store');
  }
}
