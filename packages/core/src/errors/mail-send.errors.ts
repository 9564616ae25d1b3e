/** Why a send failed: `permanent` when the server refused the mail for good (an SMTP 5xx reply). */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailSendError';
  }
}
