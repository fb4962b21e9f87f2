// Runs a TypeScript entry point of the harness without a build: @swc/core (a dev dependency the
// tests already use) transpiles each .ts file to CommonJS as it is required.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
// The entry point sees argv as if it had been run directly: [node, entry.ts, ...args].
process.argv.splice(1, 1);
require(resolve(process.argv[1]));
