import type { Screen, ScreenColumn, ScreenFilter, ScreenList } from '@lingshu/metamodel/dist/kinds';
import { ApiError, api, getToken } from '../shell/api';

export type { Screen, ScreenColumn, ScreenFilter, ScreenList };

/** A screen as the server adapts it to the caller: `masked` lists the columns the caller sees masked. */
export type RuntimeScreen = Screen & { masked?: string[] };

export interface MenuItem {
  type: 'screen' | 'default';
  key: string;
  title: string;
  order: number;
  dataset: string;
  path: string;
}

export interface MenuGroup {
  group: string;
  items: MenuItem[];
}

export interface Row {
  id: string;
  [column: string]: unknown;
}

/** The app route of a menu item. */
export const routeOf = (item: Pick<MenuItem, 'type' | 'key'>) => `/run/${item.type}/${encodeURIComponent(item.key)}`;

/** The API path of a screen from its route parameters. */
export const screenPath = (type: string, key: string) => (type === 'default' ? `/api/screens/default/${encodeURIComponent(key)}` : `/api/screens/${encodeURIComponent(key)}`);

export const loadMenu = () => api.get<MenuGroup[]>('/api/screens/menu');

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
