// ESLint flat config: typescript-eslint's recommended rules plus the house limits: no file over
// 400 lines, no function over 80 (tests and code emitters excepted), no one-letter names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      'generated/',
      '**/dist/',
      'coverage/',
      'docs/',
      '**/.data/',
      '**/.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'id-length': ['error', { min: 2, exceptions: ['_'], properties: 'never' }],
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The dependency-cruiser configs at the root are CommonJS run by Node.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // A CommonJS file's top level is the module wrapper's scope, not the global one.
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
  {
    // Known debt, not a licence: these four still exceed the limits and are the next splits
    // (WSGuard's factory and its upgrade/frame methods, the relay's factory, the local payment
    // provider's factory, the code generator by emitter). Remove an entry when its file is split.
    files: [
      'server/shared/security/wsguard/wsguard.ts',
      'server/shared/events/relay.ts',
      'server/modules/billing/infrastructure/local.provider.ts',
    ],
    rules: { 'max-lines-per-function': ['error', { max: 280 }] },
  },
  {
    files: ['codegen/generate.ts'],
    rules: { 'max-lines': ['error', { max: 1000 }] },
  },
  {
    // The limit on function length leaves out tests and code emitters.
    files: ['tests/**', '**/*.test.ts', 'codegen/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
