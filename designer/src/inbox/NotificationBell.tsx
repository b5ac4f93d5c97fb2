import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { Notification } from './types';

const POLL_MS = 30_000;

/** The bell in the header: unread count, the unread list, mark read; a click opens the task (or the case). */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState<Notification[]>([]);

  const load = useCallback(() => {
    api.get<Notification[]>('/api/workflow/notifications?unread=true').then(setUnread, () => undefined);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    if (open) load();
  }, [open, load]);

  const markRead = async (n: Notification) => {
    setUnread(list => list.filter(x => x.id !== n.id));
    await api.post(`/api/workflow/notifications/${n.id}/read`).catch(() => undefined);
  };
  const go = async (n: Notification) => {
    await markRead(n);
    setOpen(false);
    if (n.taskId) navigate(`/inbox?task=${n.taskId}`);
    else if (n.instanceId) navigate(`/inbox/cases/${n.instanceId}`);
  };

  const content = (
    <List<Notification>
      style={{ width: 360, maxHeight: 420, overflow: 'auto' }}
      size="small"
      dataSource={unread}
      locale={{ emptyText: t('notify.empty') }}
      data-testid="notification-list"
      renderItem={n => (
        <List.Item
          data-testid="notification"
          actions={[
            <Typography.Link key="read" onClick={() => markRead(n)} data-testid="notification-read">
              {t('notify.markRead')}
            </Typography.Link>,
          ]}
        >
          <List.Item.Meta
            title={<a onClick={() => go(n)}>{n.title}</a>}
            description={
              <>
                <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dayjs(n.createdAt).format('MM-DD HH:mm')}
                </Typography.Text>
              </>
            }
          />
        </List.Item>
      )}
    />
  );

  return (
    <Popover content={content} title={t('notify.title')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread.length} size="small" offset={[-2, 2]}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={t('notify.title')} data-testid="notification-bell" data-unread={unread.length} />
      </Badge>
    </Popover>
  );
}
