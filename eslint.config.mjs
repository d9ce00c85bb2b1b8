// ESLint (typescript-eslint). The layering rules are in .dependency-cruiser.cjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['*.cjs', 'node_modules/', 'coverage/', 'panel/dist/', 'portal/', '.demo-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-restricted-imports': ['error', {
        paths: [{ name: 'knex', importNames: ['default'], message: 'Only stores and the database platform open knex.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'sim/**/*.ts', 'migrations/**/*.ts', 'src/platform/db/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
