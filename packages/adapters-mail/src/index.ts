// Public API of @authsvc/adapters-mail: core's MailSender port on SMTP (nodemailer) and, for the embedded mode, on
// a folder of .eml files.
export { SmtpMailSender, type SmtpMailSenderOptions } from './smtp-mail-sender.adapter.js';
export { EmlFileMailSender } from './eml-file-mail-sender.adapter.js';
export { translateMailError } from './mail.errors.js';
