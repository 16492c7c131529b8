/**
 * The review's two ways to synthesize: `npm run synth` in a child process, and, for this project's own code, the same
 * synthesis in the review's process. Both must write the very same stacks and word a refusal the same way, since a
 * one-client review compares a tree made one way with expectations of the other.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SynthesisError, synthesizeStacks, synthesizeStacksHere } from '../review/synthesis';
import { clientsFolder, standardClient } from './support';

const root = path.resolve(__dirname, '..');

test('in this process, the same stacks as npm run synth, for the same selection', async () => {
  const clientsDir = path.join(root, 'clients');
  const options = { projectDir: root, env: {}, clientsDir, clients: ['betterfinance.eu'] };
  const [here, child] = await Promise.all([synthesizeStacksHere(options), synthesizeStacks(options)]);
  expect([...here.keys()].sort()).toEqual(['agency', 'betterfinance.eu']);
  expect(JSON.stringify([...here].sort())).toBe(JSON.stringify([...child].sort()));
});

test('in this process, a bad file is refused with the words npm run synth prints', async () => {
  const clientsDir = clientsFolder({ 'betterfinance.eu.yaml': { ...standardClient, nichandle: 'BF12345' } });
  const options = { projectDir: root, env: {}, clientsDir };
  const refusal = (run: Promise<unknown>) =>
    run.then(
      () => undefined,
      (error: unknown) => error,
    );
  const [here, child] = await Promise.all([refusal(synthesizeStacksHere(options)), refusal(synthesizeStacks(options))]);
  expect(here).toBeInstanceOf(SynthesisError);
  expect(child).toBeInstanceOf(SynthesisError);
  const problem = (error: unknown) => (error as SynthesisError).lines.find((line) => line.includes('nichandle'))?.trim();
  expect(problem(here)).toMatch(/betterfinance\.eu\.yaml:\d+: nichandle: /);
  expect(problem(here)).toBe(problem(child));
});

test('another project folder runs its own npm run synth, never this code', async () => {
  // A folder without a project: only a child process, running npm there, can fail this way.
  const options = { projectDir: fs.mkdtempSync(path.join(os.tmpdir(), 'not-a-project-')), env: {}, clientsDir: path.join(root, 'clients') };
  await expect(synthesizeStacksHere(options)).rejects.toThrow(SynthesisError);
});
