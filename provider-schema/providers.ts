/**
 * The Terraform providers the stacks use, at the versions cdktf.json pins (and the provider lock file holds): what the
 * plan guard allows, what CI's plans install, and what `npm run providers` builds from source for `npm run verify`.
 */
export const PINNED_PROVIDERS = {
  ovh: {
    source: 'ovh/ovh',
    version: '2.19.0',
    /**
     * Its release tag, as a Go module (its go.mod has no replace directive), and what its releases set at link time
     * (`.goreleaser.yml`): the version and commit of the User-Agent it sends OVH (`ovh/config.go`).
     */
    go: {
      module: 'github.com/ovh/terraform-provider-ovh/v2',
      version: 'v2.19.0',
      linkerVariables: {
        'github.com/ovh/terraform-provider-ovh/v2/ovh.providerVersion': '2.19.0',
        'github.com/ovh/terraform-provider-ovh/v2/ovh.providerCommit': '913f92cb66a9a396ff7bb6cbf8f7f1c5cc0a7c21',
      },
    },
  },
  random: {
    source: 'hashicorp/random',
    version: '3.7.2',
    /**
     * The v3.7.2 tag's commit (bc2ddb552b46, 2025-04-22) as a pseudo-version: its go.mod still declares the module's
     * old path, under which the proxy knows only v1 tags, so `@v3.7.2` cannot be asked for.
     */
    go: {
      module: 'github.com/terraform-providers/terraform-provider-random',
      version: 'v1.3.2-0.20250422105519-bc2ddb552b46',
      linkerVariables: {},
    },
  },
} as const;

export type ProviderName = keyof typeof PINNED_PROVIDERS;

export const PROVIDER_NAMES = Object.keys(PINNED_PROVIDERS) as ProviderName[];

/** A provider's address in Terraform's registry, as CLI configurations, mirrors and schema files name it. */
export function registryAddress(name: ProviderName): string {
  return `registry.terraform.io/${PINNED_PROVIDERS[name].source}`;
}
