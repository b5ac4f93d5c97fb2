/**
 * The API client: bearer token from sign-in, JSON in and out, and the platform's error shape
 * `{error: {statusCode, name, message, details: [{field|path, rule, message}]}}` as ApiError.
 */
const TOKEN_KEY = 'lingshu.token';

export interface ErrorDetail {
  field?: string;
  path?: string;
  rule: string;
  message: string;
  index?: number;
  position?: number;
  /** 1-based row of an uploaded file or line of a JSON Lines body. */
  row?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export type SessionEvent = 'expired' | 'password-change';
type Listener = (event: SessionEvent) => void;

let token: string | null = sessionStorage.getItem(TOKEN_KEY);
const listeners = new Set<Listener>();

export function getToken(): string | null {
  return token;
}

export function setToken(next: string | null): void {
  token = next;
  if (next) sessionStorage.setItem(TOKEN_KEY, next);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Told when the session ends under the user (idle timeout, revoked) or a password change is due. */
export function onSessionEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NetworkError', 'network');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.ok) return parsed as T;
  const err = (parsed as { error?: { name?: string; message?: string; details?: ErrorDetail[] } })?.error ?? {};
  const error = new ApiError(res.status, err.name ?? String(res.status), err.message ?? res.statusText, err.details ?? []);
  if (res.status === 401 && token && !path.startsWith('/api/auth/login')) {
    setToken(null);
    listeners.forEach(l => l('expired'));
  } else if (res.status === 403 && error.code === 'PasswordChangeRequired') {
    listeners.forEach(l => l('password-change'));
  }
  throw error;
}

export const api = {
  get: <T = unknown>(path: string) => request<T>('GET', path),
  post: <T = unknown>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T = unknown>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T = unknown>(path: string) => request<T>('DELETE', path),
};

/** `?a=1&b=x` from the defined, non-empty entries. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** Downloads a file from the API with the session's token (an <a href> cannot send it). */
export async function download(path: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers });
  if (!res.ok) {
    const text = await res.text();
    let error: { name?: string; message?: string; details?: ApiError['details'] } = {};
    try {
      error = JSON.parse(text).error ?? {};
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, error.name ?? String(res.status), error.message ?? res.statusText, error.details ?? []);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
