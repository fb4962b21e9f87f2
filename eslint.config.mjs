// Lint rules that keep the monorepo's boundaries: libs are used only through their index
// (no deep imports), and an app never reaches into another app's files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@mercato/*/*'], message: 'Import a lib through its index (@mercato/<lib>) only.' },
            { group: ['**/libs/**', '../../libs/*'], message: 'Use the @mercato/<lib> alias.' },
            { group: ['**/apps/*/src/**', '../../*/src/**'], message: 'An app never imports another app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
