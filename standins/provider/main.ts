/**
 * The provider stand-in's process, as Terraform starts it through the executables `mirror.ts` writes:
 * `node standin-provider.js <ovh|random> <project folder>`. It serves one provider until Terraform shuts it down.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registryAddress } from '../../provider-schema/providers';
import { StandinProvider, type ProviderDefinition, type ProviderSchemas } from './engine';
import { OVH_DATA_SOURCES, OVH_RESOURCES, ovhAccount } from './ovh';
import { serve } from './plugin-server';
import { RANDOM_RESOURCES } from './random';
import { World, WORLD_VARIABLE } from './world';

const PROVIDERS = {
  ovh: { address: registryAddress('ovh'), resources: OVH_RESOURCES, dataSources: OVH_DATA_SOURCES, configure: ovhAccount },
  random: { address: registryAddress('random'), resources: RANDOM_RESOURCES, dataSources: {}, configure: () => undefined },
} as const;

async function main(): Promise<void> {
  const [name, projectRoot] = process.argv.slice(2) as [keyof typeof PROVIDERS, string];
  const provider = PROVIDERS[name];
  const schemaFile = path.join(projectRoot, 'provider-schema', `${name}.json`);
  const schemas = (JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { provider_schemas: Record<string, ProviderSchemas> })
    .provider_schemas[provider.address];
  let world: World | undefined;
  const definition: ProviderDefinition = {
    schemas,
    resources: provider.resources,
    dataSources: provider.dataSources,
    configure: provider.configure,
    world: () => {
      const dir = process.env[WORLD_VARIABLE];
      world ??= dir ? World.open(dir) : undefined;
      return world;
    },
  };
  const here = path.join(projectRoot, 'standins', 'provider');
  await serve({
    protoDir: path.join(here, 'proto'),
    certificate: fs.readFileSync(path.join(here, 'cert.pem'), 'utf8'),
    key: fs.readFileSync(path.join(here, 'key.pem'), 'utf8'),
    provider: new StandinProvider(definition).handlers(),
  });
}

main().catch((error: Error) => {
  // go-plugin shows a line on standard output that is not a handshake as the reason the plugin failed.
  process.stdout.write(`provider stand-in failed to start: ${error.message}\n`);
  process.exit(1);
});
