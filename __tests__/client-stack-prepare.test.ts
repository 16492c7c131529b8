/**
 * ClientStack skips cdktf's preparing resolve run, which only looks for references to other stacks: this checks
 * that running it would find none, for the example clients and a varied set of synthetic ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformStack } from 'cdktf';
import { writeSyntheticClients } from '../bench/synthetic-clients';
import { planFolder } from '../policy/folder';
import { buildApp } from '../stacks/synthesis';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-'));
writeSyntheticClients(path.join(work, 'clients'), 20);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test.each([
  ['the example clients', path.resolve(__dirname, '..', 'clients')],
  ['synthetic clients', path.join(work, 'clients')],
])('%s reference no other stack', (_, clientsDir) => {
  const app = buildApp(planFolder(clientsDir).plans, { state: { kind: 'local', dir: path.join(work, 'state') } }, work);
  const stacks = app.node.children.filter(TerraformStack.isStack);
  const sizes = () => stacks.map((stack) => stack.node.findAll().length);
  const before = sizes();

  // cdktf's own preparing run: a cross-stack reference would add an output, a remote state and a dependency.
  for (const stack of stacks) TerraformStack.prototype.prepareStack.call(stack);

  expect(sizes()).toEqual(before);
  expect(stacks.flatMap((stack) => stack.dependencies)).toEqual([]);
});
