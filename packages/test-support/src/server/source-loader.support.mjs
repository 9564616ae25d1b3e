// Lets Node 24 run the workspace's TypeScript sources (no build): NodeNext sources import `./x.js` meaning `./x.ts`.
// Used with --experimental-transform-types (ts-proto emits enums, core uses parameter properties) and
// --conditions=@authsvc/source (workspace packages resolve to their sources); sourceNodeFlags() passes all three.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (relative && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
