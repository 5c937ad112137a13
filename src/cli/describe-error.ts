import { status, type ServiceError } from '@grpc/grpc-js';
import { innermostError } from '../client/error-text.js';

/** A gRPC failure as one line: "NOT_FOUND: unknown api …". */
export function describeError(e: unknown): string {
  const error = e as Partial<ServiceError>;
  if (typeof error.code === 'number') return `${status[error.code] ?? error.code}: ${innermostError(error.details ?? error.message ?? '')}`;
  return (e as Error).message;
}
