import type { Screen, ScreenColumn, ScreenFilter, ScreenList } from '@lingshu/metamodel/dist/kinds';
import { api } from '../shell/api';

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

export { download } from '../shell/api';
