// Mail: templates and the delivery worker that sends the mail outbox through a MailSender.
export * from './mail-templates.model.js';
export * from './mail-delivery.config.js';
export type * from './mail-delivery-metrics.types.js';
export * from './mail-delivery.worker.js';
