// tsyringe checks for a Reflect metadata polyfill when it loads; we register only explicit values and
// factories, so nothing reads that metadata, but the import must come first.
import 'reflect-metadata';
import { container, instanceCachingFactory, type DependencyContainer } from 'tsyringe';

export { instanceCachingFactory, type DependencyContainer };

/** A fresh child of the root container: each app instance (and each test) gets its own. */
export function createChildContainer(): DependencyContainer {
  return container.createChildContainer();
}
