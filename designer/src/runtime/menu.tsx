import { useEffect, useState } from 'react';
import type { MenuProps } from 'antd';
import { FileSearchOutlined, TableOutlined } from '@ant-design/icons';
import { useSession } from '../shell/session';
import { MenuGroup, loadMenu, routeOf } from './types';

/** Menu groups of the screens the signed-in user may use (from /api/screens/menu), as antd menu items. */
export function useScreenMenu(): NonNullable<MenuProps['items']> {
  const { user } = useSession();
  const [groups, setGroups] = useState<MenuGroup[]>([]);
  useEffect(() => {
    if (!user) return;
    let live = true;
    loadMenu().then(
      g => live && setGroups(g),
      () => live && setGroups([]),
    );
    const refresh = () => loadMenu().then(g => live && setGroups(g), () => undefined);
    window.addEventListener('lingshu:screens-changed', refresh);
    return () => {
      live = false;
      window.removeEventListener('lingshu:screens-changed', refresh);
    };
  }, [user]);
  return groups.map(g => ({
    key: `screens:${g.group}`,
    icon: g.items.some(i => i.type === 'screen') ? <FileSearchOutlined /> : <TableOutlined />,
    label: g.group,
    children: g.items.map(i => ({ key: routeOf(i), label: i.title })),
  }));
}

/** Tell the menu that published screens changed (after a publish in the designer). */
export function screensChanged(): void {
  window.dispatchEvent(new Event('lingshu:screens-changed'));
}
