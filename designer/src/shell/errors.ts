import { ApiError, ErrorDetail } from './api';
import { Translate } from './i18n';
import { MESSAGES, MessageKey } from './messages';

/** A server problem in the user's language where the rule is known, keeping the server's specifics. */
export function detailText(t: Translate, d: ErrorDetail): string {
  const key = `rule.${d.rule}` as MessageKey;
  return key in MESSAGES['zh-CN'] ? `${t(key)}：${d.message}` : d.message;
}

/** One line for a toast or an alert, in the user's language where the status says enough. */
export function describeError(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.generic', { message: (err as Error)?.message ?? String(err) });
  if (err.status === 0) return t('error.network');
  if (err.status === 403) return `${t('error.forbidden')}（${err.message}）`;
  if (err.status === 404) return t('error.notFound');
  if (err.status === 409) return t('error.conflict', { message: err.message });
  if (err.status === 422 || err.status === 400) {
    const first = err.details[0];
    return first ? `${t('error.validation')}：${first.field ?? first.path ?? ''} ${detailText(t, first)}` : t('error.generic', { message: err.message });
  }
  if (err.status >= 500) return t('error.server', { message: err.message });
  return t('error.generic', { message: err.message });
}
