import { MailSendError } from '@authsvc/core';

/** What nodemailer attaches to a failure: the SMTP reply code when the server answered, an error code otherwise. */
interface NodemailerFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
}

/**
 * A nodemailer failure as core's MailSendError: permanent when the server answered 5xx (the mail, the recipient or
 * our credentials were refused), transient for a 4xx and for anything that never got an answer (connection refused,
 * timeout, TLS failure). The message keeps the reply code and the server's text, never the mail.
 */
export function translateMailError(error: unknown): MailSendError {
  const failure = (error ?? {}) as NodemailerFailure;
  const code = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const permanent = code !== null && code >= 500 && code < 600;
  const what = code !== null ? `SMTP ${code}${failure.command ? ` after ${failure.command}` : ''}` : (failure.code ?? 'send failed');
  const text = (failure.message ?? String(error)).slice(0, 300);
  return new MailSendError(`${what}: ${text}`, permanent, { cause: error });
}
