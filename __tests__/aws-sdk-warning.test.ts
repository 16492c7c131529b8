/**
 * With remote state the contacts tool opens an S3 client, whose SDK would print an eight-line warning on every run
 * under Node.js 20 (its releases after January 2027 need Node.js 22). The project runs on Node.js 20: the run is quiet.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ENTRY_HOOK } from '../cli/command-line';

const root = path.resolve(__dirname, '..');

/** A process that believes it runs on `version` and opens a contacts session whose journal is in the state bucket; its standard error. */
function openBucketStore(version: string, env: NodeJS.ProcessEnv = {}): string {
  const script = `
    Object.defineProperty(process, 'version', { value: ${JSON.stringify(version)} });
    const { openSession } = require('./contacts/index.ts');
    const bucket = { OVH_IAC_STATE_BUCKET: 'state', OVH_IAC_STATE_ENDPOINT: 'http://127.0.0.1:9', OVH_IAC_STATE_REGION: 'gra' };
    openSession({ ...bucket, AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key' }, process.cwd(), { client: 'agency' });
    console.log('opened');`;
  const result = spawnSync(process.execPath, ['--require', ENTRY_HOOK, '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  expect(result.stdout.trim()).toBe('opened');
  return result.stderr;
}

test('the AWS SDK says nothing about Node.js versions on Node.js 20', () => {
  expect(openBucketStore('v20.20.2')).toBe('');
});

test('its switch stays the engineer’s: set to false, the SDK’s warning shows (the switch is the one the SDK reads)', () => {
  expect(openBucketStore('v20.20.2', { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' })).toContain('NodeVersionSupportWarning');
});
