import { ApiError, ErrorDetail } from './api';
import { Translate } from './i18n';
import { MESSAGES, MessageKey } from './messages';

/** A server problem in the user's language where the rule is known, keeping the server's specifics. */
export function detailText(t: Translate, d: ErrorDetail): string {
  const key = `rule.${d.rule}` as MessageKey;
  return key in MESSAGES['zh-CN'] ? `${t(key)}${t('error.colon')}${d.message}` : d.message;
}

/** Where a problem is: the row of an uploaded file and the field. */
export function detailPlace(t: Translate, d: ErrorDetail): string {
  const field = d.field ?? d.path ?? '';
  return d.row ? t('error.atRow', { row: d.row, field }) : field;
}

/** One line for a toast or an alert, in the user's language where the status says enough. */
export function describeError(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.generic', { message: (err as Error)?.message ?? String(err) });
  if (err.status === 0) return t('error.network');
  if (err.status === 403) return t('error.forbiddenBecause', { message: err.message });
  if (err.status === 404) return t('error.notFound');
  if (err.status === 409) return t('error.conflict', { message: err.message });
  if (err.status === 422 || err.status === 400) {
    const first = err.details[0];
    return first ? `${t('error.validation')}${t('error.colon')}${detailPlace(t, first)} ${detailText(t, first)}` : t('error.generic', { message: err.message });
  }
  if (err.status >= 500) return t('error.server', { message: err.message });
  return t('error.generic', { message: err.message });
}
