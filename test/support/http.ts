/** A small JSON client for acceptance tests: returns status, headers and parsed body. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export function client(baseUrl: string, token?: string) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const request = async <T = any>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text: some routes answer HTML
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    get: <T = any>(path: string) => request<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    put: <T = any>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T = any>(path: string, body: unknown) => request<T>('PATCH', path, body),
    del: <T = any>(path: string) => request<T>('DELETE', path),
    raw: request,
  };
}

/** Polls until `check` returns true or the time runs out; returns the elapsed milliseconds. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise(r => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
