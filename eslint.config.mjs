// Lint rules that keep the monorepo's boundaries: libs are used only through their index
// (no deep imports), and an app never reaches into another app's files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const BOUNDARY_PATTERNS = [
  { group: ['@mercato/*/*'], message: 'Import a lib through its index (@mercato/<lib>) only.' },
  { group: ['**/libs/**', '../../libs/*'], message: 'Use the @mercato/<lib> alias.' },
  { group: ['**/apps/*/src/**', '../../*/src/**'], message: 'An app never imports another app.' },
];
const APP_ALIASES = ['gateway', 'catalog', 'search', 'cart', 'order', 'inventory', 'recommendation'].map(
  (app) => `@mercato/${app}`,
);

const APP_PATHS = APP_ALIASES.map((name) => ({
  name,
  message: 'Only apps/store composes apps; talk to another app over the bus.',
}));
const TEST_ONLY_MESSAGE = 'Shipped code never imports a test helper (test helpers are not built).';
const TEST_ONLY_PATHS = ['@mercato/testing', '@nestjs/testing'].map((name) => ({
  name,
  message: TEST_ONLY_MESSAGE,
}));
const TEST_ONLY_PATTERNS = [{ group: ['**/test/**', '**/testing/**'], message: TEST_ONLY_MESSAGE }];
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.contract.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS }],
    },
  },
  {
    // Apps are composed only by the all-in-one host (apps/store); no app or lib imports an app.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: APP_PATHS,
          patterns: BOUNDARY_PATTERNS,
        },
      ],
    },
  },
  {
    // What `npm run build` ships never imports a test helper: those live in libs/testing,
    // apps/*/test and test/, none of which is built (tsconfig.build.json).
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [...TEST_FILES, 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...APP_PATHS, ...TEST_ONLY_PATHS], patterns: [...BOUNDARY_PATTERNS, ...TEST_ONLY_PATTERNS] },
      ],
    },
  },
  {
    // apps/store composes the apps, so it may import them; the test-helper rule still holds.
    files: ['apps/store/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: TEST_ONLY_PATHS, patterns: [...BOUNDARY_PATTERNS, ...TEST_ONLY_PATTERNS] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
