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
          paths: APP_ALIASES.map((name) => ({
            name,
            message: 'Only apps/store composes apps; talk to another app over the bus.',
          })),
          patterns: BOUNDARY_PATTERNS,
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
