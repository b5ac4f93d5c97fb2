/**
 * Errors that reach a client. Each carries an HTTP status, a stable code and, for validation,
 * the details: which field, which rule, where.
 */
export interface ErrorDetail {
  /** Row position in a batch (0-based), when the request carried several records. */
  index?: number;
  /** Row number in an uploaded worksheet (1-based, as Excel shows it). */
  row?: number;
  path?: string;
  field?: string;
  rule: string;
  message: string;
  position?: number;
  value?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = code;
  }

  toJSON() {
    return {
      error: {
        statusCode: this.statusCode,
        name: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new ApiError(400, 'BadRequest', message, details);
export const notFound = (message: string) => new ApiError(404, 'NotFound', message);
export const conflict = (message: string, details?: ErrorDetail[]) =>
  new ApiError(409, 'Conflict', message, details);
export const unprocessable = (message: string, details: ErrorDetail[]) =>
  new ApiError(422, 'UnprocessableEntity', message, details);
export const payloadTooLarge = (limit: number) =>
  new ApiError(413, 'PayloadTooLarge', `request body exceeds ${limit} bytes`);

/** PostgreSQL SQLSTATE codes the platform turns into client errors. */
export const PG_UNIQUE_VIOLATION = '23505';

export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
