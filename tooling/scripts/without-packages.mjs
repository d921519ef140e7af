// A Node `--import` hook for tests: makes the packages named in CHUNKWISE_WITHOUT_PACKAGES
// (comma-separated) unresolvable, as in a project that never installed them, for import() (an ESM
// resolve hook) and for require() (Module._resolveFilename). The errors imitate Node's own.
//   CHUNKWISE_WITHOUT_PACKAGES=better-sqlite3,ioredis node --import ./tooling/scripts/without-packages.mjs app.mjs
import Module, { register } from 'node:module';

const hidden = (process.env.CHUNKWISE_WITHOUT_PACKAGES ?? '').split(',').filter(Boolean);
const blocked = (specifier) => hidden.find((name) => specifier === name || specifier.startsWith(`${name}/`));

register(
  'data:text/javascript,' +
    encodeURIComponent(`
const hidden = ${JSON.stringify(hidden)};
export async function resolve(specifier, context, next) {
  const name = hidden.find((name) => specifier === name || specifier.startsWith(name + '/'));
  if (name) {
    const error = new Error("Cannot find package '" + name + "' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (blocked(request)) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
