import { useState } from 'react';
import { Alert, Button, Form, Input, Space } from 'antd';
import { ApiError, api } from './api';
import { credentialEncryptor } from './crypto';
import { describeError } from './errors';
import { useI18n } from './i18n';
import { useSession } from './session';

/** Changes the password; the server ends every session of the user, so the next step is signing in again. */
export function ChangePasswordForm({ forced, onCancel }: { forced?: boolean; onCancel?: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { current: string; next: string }) => {
    setBusy(true);
    setError(null);
    try {
      const encrypt = await credentialEncryptor();
      await api.post('/api/auth/change-password', { encryptedCurrentPassword: encrypt(v.current), encryptedNewPassword: encrypt(v.next) });
      await session.signOut('passwordChanged');
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const policy = err.details.filter(d => d.field === 'newPassword').map(d => d.message);
        setError(policy.length ? t('pwd.policy', { problems: policy.join('；') }) : t('pwd.wrongCurrent'));
      } else setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form layout="vertical" onFinish={submit} requiredMark={false}>
      {forced && <Alert type="warning" showIcon message={t('pwd.forced')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form.Item name="current" label={t('pwd.current')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="next" label={t('pwd.new')} rules={[{ required: true }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('pwd.confirm')}
        dependencies={['next']}
        rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, value) => (value === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error(t('pwd.mismatch')))) })]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('pwd.submit')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{forced ? t('pwd.cancel') : t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}
