import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The core is pure: no clock, no environment, no I/O.
      'no-restricted-globals': ['error', { name: 'process', message: 'Pass configuration in; the core is pure.' }],
      'no-restricted-imports': ['error', { patterns: ['node:fs*', 'node:net', 'node:dgram', 'node:http*', 'fs', 'better-sqlite3', 'pg'] }],
    },
  },
  {
    // The browser application: no Node globals, and the default export rule does not apply to
    // the Vite configuration.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: 'The browser has no process.' }] },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['*.config.ts', 'web/vite.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
