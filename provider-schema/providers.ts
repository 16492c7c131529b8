/**
 * The Terraform providers the stacks use, at the versions cdktf.json pins (and the provider lock file holds): what the
 * plan guard allows, what CI's plans install and what the stand-ins of `npm run verify` serve.
 */
export const PINNED_PROVIDERS = {
  ovh: { source: 'ovh/ovh', version: '2.19.0' },
  random: { source: 'hashicorp/random', version: '3.7.2' },
} as const;

export type ProviderName = keyof typeof PINNED_PROVIDERS;

/** A provider's address in Terraform's registry, as CLI configurations, mirrors and schema files name it. */
export function registryAddress(name: ProviderName): string {
  return `registry.terraform.io/${PINNED_PROVIDERS[name].source}`;
}
