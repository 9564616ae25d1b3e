export * from './service-locator.js';
export * from './containers.js';
