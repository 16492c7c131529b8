/**
 * Jest's transform: TypeScript, and the packages published as ES modules only, to CommonJS with esbuild, as tsx does
 * for the commands. It only transpiles, one file at a time (`isolatedModules`); types are checked once by
 * `tsc --noEmit` in `npm test`. ts-jest did the same with TypeScript's own compiler, loaded in every worker, at about
 * ten times the CPU time on a fresh clone (jest's cache is per path).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { transformSync, version } = require('esbuild');

const tsconfig = fs.readFileSync(path.join(__dirname, '..', '..', 'tsconfig.json'), 'utf8');
const { compilerOptions } = JSON.parse(tsconfig);

module.exports = {
  process(source, file) {
    const { code, map } = transformSync(source, {
      loader: file.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: compilerOptions.target.toLowerCase(),
      platform: 'node',
      sourcemap: 'external',
      sourcefile: file,
      tsconfigRaw: { compilerOptions },
      // `import()` as `require()`, as TypeScript compiles it for CommonJS: jest runs CommonJS, and a real dynamic
      // import would need its experimental ES module support (the ES-module-only packages are compiled here too).
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
  getCacheKey(source, file) {
    return crypto.createHash('sha256').update(`${version}\0${tsconfig}\0${file}\0${source}`).digest('hex');
  },
};
