import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { OvhProvider } from '../.gen/providers/ovh/provider';
import { credentialVariables, ENDPOINT_VARIABLE } from '../core/credentials';
import type { OvhAccount } from '../policy/plan';

export interface OvhAccountsProps {
  /** The OVH API endpoint every account uses, e.g. `ovh-eu`. */
  readonly endpoint: string;
}

/**
 * One `ovh` provider alias per OVH account used by the stack, created on first use. Credentials are sensitive
 * Terraform variables (set them as `TF_VAR_<name>`), so no secret is ever part of the synthesized stack.
 */
export class OvhAccounts extends Construct {
  private readonly providers = new Map<string, OvhProvider>();
  private endpointVariable?: TerraformVariable;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OvhAccountsProps,
  ) {
    super(scope, id);
  }

  /** The provider that acts as `account`. */
  providerFor(account: OvhAccount): OvhProvider {
    const existing = this.providers.get(account.key);
    if (existing) return existing;
    const variable = (name: string) => {
      const description = `${account.description} (${account.nichandle}); set it as TF_VAR_${name}`;
      const credential = new TerraformVariable(this, name, { type: 'string', sensitive: true, nullable: false, description });
      credential.overrideLogicalId(name); // the documented name, not one derived from the construct path
      return credential.stringValue;
    };
    const names = credentialVariables(account.key);
    const provider = new OvhProvider(this, account.key, {
      alias: account.key,
      endpoint: this.endpoint(),
      applicationKey: variable(names.applicationKey),
      applicationSecret: variable(names.applicationSecret),
      consumerKey: variable(names.consumerKey),
    });
    this.providers.set(account.key, provider);
    return provider;
  }

  /** The endpoint variable, declared with the first provider: a stack without one declares none. */
  private endpoint(): string {
    if (!this.endpointVariable) {
      this.endpointVariable = new TerraformVariable(this, ENDPOINT_VARIABLE, {
        type: 'string',
        nullable: false,
        default: this.props.endpoint,
        description: 'The OVH API endpoint of every account (agency.yaml ovh.endpoint); set it as TF_VAR_ovh_endpoint',
      });
      this.endpointVariable.overrideLogicalId(ENDPOINT_VARIABLE);
    }
    return this.endpointVariable.stringValue;
  }
}
