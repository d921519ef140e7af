// Native addons (better-sqlite3, hnswlib-node) build with node-gyp during `pnpm install`. Offline,
// node-gyp cannot download Node's headers, so point it at the headers installed with Node itself
// (they ship with Debian's nodejs and the official tarballs). pnpm >= 11 passes only a fixed set of
// environment variables to install scripts; `extraEnv` is the supported way to add one.
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

module.exports = {
  hooks: {
    updateConfig(config) {
      const prefix = dirname(dirname(process.execPath));
      if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) {
        config.extraEnv = { ...config.extraEnv, npm_config_nodedir: prefix };
      }
      return config;
    },
  },
};
