// Mail in tests: a real SMTP server in process, and reading what it (or the embedded mode's .eml folder) received.
export { SmtpTestServer, mailedLink, type ReceivedMail, type SmtpTestServerOptions } from './smtp-test-server.support.js';
export { readEmlFolder } from './eml-folder.support.js';
