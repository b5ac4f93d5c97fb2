import { useState } from 'react';
import { App, Button, Popconfirm, Space } from 'antd';
import { ApiError, api } from '../shell/api';
import { describeError, detailText } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { Action, Item, SLUG } from './kinds';

const PRIMARY: Action[] = ['publish'];

/** Buttons for the lifecycle transitions allowed now, by status and by the user's permissions. */
export function LifecycleActions({ item, onDone, hide = [] }: { item: Item; onDone(next: Item): void; hide?: Action[] }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<Action | null>(null);
  const allowed = item._meta.allowedActions.filter(a => !hide.includes(a) && can(`meta:${item.kind}`, a === 'publish' || a === 'retire' ? 'publish' : 'update'));

  const run = async (action: Action, retire = false) => {
    setBusy(action);
    try {
      const next = await api.post<Item>(`/api/meta/${SLUG[item.kind]}/${item.id}/${action}${retire ? '?retire=true' : ''}`);
      message.success(t('meta.action.done', { action: t(`meta.action.${action}`) }));
      onDone(next);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && action === 'publish' && !retire && /destructive|retire/i.test(err.message + JSON.stringify(err.details))) {
        modal.confirm({ title: t('meta.action.publish'), content: `${err.message}\n${t('meta.action.retireColumns')}`, onOk: () => run(action, true) });
      } else {
        modal.error({ title: t('error.title'), content: <ProblemList err={err} /> });
      }
    } finally {
      setBusy(null);
    }
  };

  if (!allowed.length) return null;
  return (
    <Space>
      {allowed.map(action => (
        <Popconfirm key={action} title={t('meta.action.confirm', { action: t(`meta.action.${action}`), name: item.name })} onConfirm={() => run(action)} okButtonProps={{ 'data-testid': 'confirm-action' } as Record<string, string>}>
          <Button type={PRIMARY.includes(action) ? 'primary' : 'default'} danger={action === 'retire'} loading={busy === action} data-testid={`action-${action}`}>
            {t(`meta.action.${action}`)}
          </Button>
        </Popconfirm>
      ))}
    </Space>
  );
}

function ProblemList({ err }: { err: unknown }) {
  const { t } = useI18n();
  if (!(err instanceof ApiError) || err.details.length === 0) return <>{describeError(t, err)}</>;
  return (
    <div>
      <p>{err.message}</p>
      <ul style={{ paddingInlineStart: 20 }}>
        {err.details.map((d, i) => (
          <li key={i}>
            {d.path || d.field ? <code>{d.path ?? d.field}</code> : null} {detailText(t, d)}
          </li>
        ))}
      </ul>
    </div>
  );
}
