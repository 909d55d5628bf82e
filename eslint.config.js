import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'node_modules/',
      'out/',
      'coverage/',
      'test-artifacts/',
      'src/server/public/vendor/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-globals': ['error', 'Date'],
    },
  },
  {
    // The engine is pure: no wall clock, no Math.random, no timers, no I/O.
    files: ['src/engine/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded rng streams.' },
      ],
      'no-restricted-globals': ['error', 'Date', 'setTimeout', 'setInterval', 'process'],
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'http', 'net'] }],
    },
  },
  {
    files: [
      'src/cli/**',
      'src/runtime/**',
      'src/sinks/**',
      'src/server/**',
      'test/**',
      'bench/**',
      'scripts/**',
    ],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The page's modules run in the browser; tsc checks their globals against the DOM lib (tsconfig.page.json).
    files: ['src/server/public/**/*.js'],
    rules: { 'no-undef': 'off' },
  },
);
