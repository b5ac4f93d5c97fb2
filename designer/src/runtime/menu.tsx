import { useEffect, useState } from 'react';
import type { MenuProps } from 'antd';
import { FileSearchOutlined, TableOutlined } from '@ant-design/icons';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { MenuGroup, loadMenu, routeOf } from './types';

const DEFAULT_GROUP = '数据集';

/** Menu groups of the screens the signed-in user may use (from /api/screens/menu), as antd menu items. */
export function useScreenMenu(): NonNullable<MenuProps['items']> {
  const { user } = useSession();
  const { t } = useI18n();
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
    // The server's group of default screens is 数据集; the metadata menu has an item of that name.
    label: g.group === DEFAULT_GROUP ? t('run.defaultGroup') : g.group,
    children: g.items.map(i => ({ key: routeOf(i), label: i.title })),
  }));
}

/** Tell the menu that published screens changed (after a publish in the designer). */
export function screensChanged(): void {
  window.dispatchEvent(new Event('lingshu:screens-changed'));
}
