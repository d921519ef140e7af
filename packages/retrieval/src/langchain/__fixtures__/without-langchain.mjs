// Makes @langchain/core unresolvable, as in a project that never installed it: an ESM resolve hook
// (module.register) and, for require(), Module._resolveFilename. Node's own errors are imitated.
import Module, { register } from 'node:module';

const blocked = (specifier) => specifier === '@langchain/core' || specifier.startsWith('@langchain/core/');

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === '@langchain/core' || specifier.startsWith('@langchain/core/')) {
    const error = new Error("Cannot find package '@langchain/core' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (blocked(request)) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
