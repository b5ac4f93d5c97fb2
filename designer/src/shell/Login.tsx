import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { ApiError, api } from './api';
import { credentialEncryptor } from './crypto';
import { describeError } from './errors';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { CurrentUser, useSession } from './session';

interface LoginAnswer {
  token: string;
  user: CurrentUser;
}

/** Sign-in: the password is SM2-encrypted in the browser; lockout and rate limits are explained. */
export function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const encrypt = await credentialEncryptor();
      const answer = await api.post<LoginAnswer>('/api/auth/login', { username: values.username.trim(), encryptedPassword: encrypt(values.password) });
      // Someone coming back after a timeout stays where they were; anyone else starts at home.
      if (!session.returning(answer.user.username)) navigate('/', { replace: true });
      session.signedIn(answer.token, answer.user);
    } catch (err) {
      setError(loginError(err));
    } finally {
      setBusy(false);
    }
  };

  const loginError = (err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.status === 401) return t('login.invalid');
      if (err.status === 423) {
        const minutes = /(\d+)\s*minute/.exec(err.message)?.[1];
        return minutes ? t('login.locked', { minutes }) : t('login.lockedUnknown');
      }
      if (err.status === 429) return t('login.rateLimited');
    }
    return t('login.failed', { message: describeError(t, err) });
  };

  const notice = session.notice === 'expired' ? t('login.expired') : session.notice === 'passwordChanged' ? t('login.passwordChanged') : session.notice === 'loggedOut' ? t('login.loggedOut') : null;

  return (
    <div className="ls-login">
      <div className="ls-login-lang">
        <LanguageSwitch />
      </div>
      <div className="ls-login-brand">
        <div className="ls-logo-mark">枢</div>
        <div>
          <Typography.Title level={2} style={{ margin: 0, color: '#fff' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text style={{ color: 'rgba(255,255,255,.85)' }}>{t('app.subtitle')}</Typography.Text>
        </div>
      </div>
      <Card className="ls-login-card" title={t('login.title')} variant="borderless">
        {notice && !error && <Alert type={session.notice === 'expired' ? 'warning' : 'success'} showIcon message={notice} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} autoComplete="off">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required.username') }]}>
            <Input prefix={<UserOutlined />} size="large" autoFocus autoComplete="username" id="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required.password') }]}>
            <Input.Password prefix={<LockOutlined />} size="large" autoComplete="current-password" id="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy} id="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div className="ls-login-hint">
          <SafetyCertificateOutlined /> {t('login.secureHint')}
        </div>
      </Card>
      <div className="ls-login-footer">{t('app.footer')}</div>
    </div>
  );
}
