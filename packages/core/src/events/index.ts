export * from './account-event.factory.js';
