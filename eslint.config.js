import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'test/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 140 (.prettierrc.json); this holds every line to it, strings and templates excepted.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    // CommonJS modules the SDK loads by path (ops/failure-converter.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code must stay deterministic: no Node built-ins, no wall clock beyond Temporal's own Date.
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'crypto',
            'zod',
            'express',
            '@temporalio/client',
            '@temporalio/worker',
            '@temporalio/activity',
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: ['domain/calendar/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', '@temporalio/*', 'zod', 'express'] },
            {
              // A sentence computes with its own calendar version (kernel's calendarOf), never the newest one.
              group: ['./calendar', '../calendar', './calendar/index', '../calendar/index'],
              importNames: [
                'addBusinessDays',
                'businessDaysBefore',
                'businessDaysBetween',
                'isBankHoliday',
                'isBusinessDay',
                'onOrNextBusinessDay',
              ],
              message: "Use the sentence's calendar (calendarOf(s) in kernel.ts): the free functions use the newest version.",
            },
          ],
        },
      ],
    },
  },
);
