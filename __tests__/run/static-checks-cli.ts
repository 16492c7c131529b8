/** `npm test`'s second step: the type check, the lint and the layout, at once (see static-checks.ts). */
import * as path from 'node:path';
import { runStaticChecks } from './static-checks';

void runStaticChecks(path.resolve(__dirname, '..', '..'), (text) => process.stdout.write(text)).then((code) => {
  process.exitCode = code;
});
