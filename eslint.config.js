import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layers from './scripts/eslint-layers.js';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'build/native/**', 'resources/**', '**/*.scratch.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // Parsers of binary and XML formats legitimately match control characters.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // The layers as an allowlist (scripts/eslint-layers.js): each area, and each domain of src/core,
  // names what it may import; relative imports are resolved, so no spelling slips past.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    files: ['src/core/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  // A shipped migration is frozen (store/migrations/types.ts): its SQL is its own, so domain code
  // can change without changing what an old step does.
  {
    files: ['src/core/store/migrations/*.ts'],
    ignores: ['src/core/store/migrations/*.test.ts', 'src/core/store/migrations/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./types$|better-sqlite3$)', message: 'A migration imports nothing but ./types: copy the SQL it needs, or request a rebuild.' }] }],
    },
  },
  // Focused tests never land.
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused test.' },
        { object: 'test', property: 'only', message: 'Focused test.' },
        { object: 'describe', property: 'only', message: 'Focused test.' },
      ],
    },
  },
);
