// ESLint (typescript-eslint). The layering rules are in .dependency-cruiser.cjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // portal/*.js: config.js (hand-edited by operators) and the bundle built from portal/src, which is linted.
  { ignores: ['*.cjs', 'node_modules/', 'coverage/', 'panel/dist/', 'portal/*.js', '.demo-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
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
    // Persistence stays in the stores (issue 12): in a feature, only store.ts, *-store.ts and models.ts
    // import knex or Objection (or the Objection base in platform/db); services and routes take stores.
    // `import type` stays allowed: a service may name the opaque transaction type.
    files: ['src/features/**/*.ts'],
    ignores: ['src/features/**/store.ts', 'src/features/**/*-store.ts', 'src/features/**/models.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          { name: 'knex', allowTypeImports: true, message: 'Only a feature\'s store.ts, *-store.ts or models.ts queries: take a store instead.' },
          { name: 'objection', allowTypeImports: true, message: 'Objection models and queries live in the feature\'s models.ts and store.ts.' },
        ],
        patterns: [{
          group: ['**/platform/db/objection'], allowTypeImports: true,
          message: 'Objection models and queries live in the feature\'s models.ts and store.ts.',
        }],
      }],
    },
  },
  {
    // A feature's public entry names what it offers (issue 25): no `export *` that re-exports every internal symbol.
    files: ['src/features/{transacciones,checkout,webhooks,ventas}/index.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Name what other features use: export { a, type B } from \'./file\'.' }],
    },
  },
  {
    // test/mocharc.full.cjs: a CommonJS config mocha loads.
    files: ['test/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'sim/**/*.ts', 'migrations/**/*.ts', 'src/platform/db/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
