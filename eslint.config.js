// The lint of the house rules a type check does not see: ESLint's and typescript-eslint's recommended
// rules over src/, test/, scripts/ and bench/. scripts/run-tests.mjs runs it before the tests (`npx
// eslint`), and an error fails the run. Module boundaries and size warnings are checked by
// test/architecture, not here. Rules are parsed without type information (no `parserOptions.project`),
// which keeps the lint to seconds; the type check itself is `tsc`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'vendor/', 'node_modules/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // Node 20 globals (process, console, URL, fetch, setTimeout ...) for the .mjs scripts; the
      // TypeScript files get theirs from @types/node through the type check.
      globals: Object.fromEntries(['process', 'console', 'URL', 'Buffer', 'fetch', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']
        .map((name) => [name, 'readonly'])),
    },
    rules: {
      // A leading underscore marks a name kept on purpose (a destructured member left out, a
      // parameter an interface requires): `const { meta: _meta, ...rest } = resource`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Tests and benchmarks read FHIR JSON answers whose shape the test itself asserts; typing
      // each answer would add declarations that prove nothing.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['test/fuzz/**'],
    rules: {
      // Number literals that lose precision (12345678901234567890, 1e400) are the hostile input.
      'no-loss-of-precision': 'off',
    },
  },
);
