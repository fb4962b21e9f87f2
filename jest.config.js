// Two projects so a developer can run the fast unit layer alone (`npm run test:unit`);
// `npm test` runs both. SWC transpiles TypeScript with decorator metadata, which Nest's DI needs.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // jose 6 ships as ES modules only;
  // SWC turns it into CommonJS for Jest like our own code.
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  setupFiles: ['<rootDir>/test/support/jest-env.ts'],
};

module.exports = {
  testSequencer: '<rootDir>/scripts/infra/jest-sequencer.js',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 60 },
    // Real engines (Kafka, Redis, dynalite, OpenSearch) from the harness in scripts/infra.
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/scripts/infra/jest-global-setup.ts',
      globalTeardown: '<rootDir>/scripts/infra/jest-global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
};
