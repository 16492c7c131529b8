// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, without type information, so that
// `npm test` lints the whole project in seconds. Layout is Prettier's job (`npm run format`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated code and outputs; the data in clients/ and schemas/ is not JavaScript.
  { ignores: ['node_modules/', '.gen/', '.gen.tmp/', 'cdktf.out/', 'cdktf.out.*/', 'coverage/', 'terraform-state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { key: _omitted, ...rest } = value` is how the code leaves out a key: the rest is what is used.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // The project's regular expressions match control characters on purpose: to refuse them in client files.
      'no-control-regex': 'off',
      // zod's named `z` is one object of all zod, which keeps its 40 locales and JSON Schema code in every bundle (a
      // third of the main job's bundle): `import * as z` lets esbuild take only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Write `import * as z from 'zod'`: the named z takes all of zod into every bundle.",
        },
      ],
    },
  },
  {
    // The few plain CommonJS files Node.js loads as they are (jest's configuration, the entry hook, the bench's hook).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', __filename: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
