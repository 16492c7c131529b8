import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { DataOvhOrderCart } from '../.gen/providers/ovh/data-ovh-order-cart';
import { OvhProvider } from '../.gen/providers/ovh/provider';
import { credentialVariables } from '../config/credentials';
import type { OvhAccount } from '../policy/procedure';

export interface OvhAccountsProps {
  /** The OVH API endpoint every account uses, e.g. `ovh-eu`. */
  endpoint: string;
  /** The OVH subsidiary the accounts order from, e.g. `FR`. */
  subsidiary: string;
}

/**
 * One `ovh` provider alias per OVH account used by the stack, created on first use. Credentials are sensitive
 * Terraform variables (set them as `TF_VAR_<name>`), so no secret is ever part of the synthesized stack.
 */
export class OvhAccounts extends Construct {
  private readonly providers = new Map<string, OvhProvider>();
  private readonly carts = new Map<string, DataOvhOrderCart>();

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
      endpoint: this.props.endpoint,
      applicationKey: variable(names.applicationKey),
      applicationSecret: variable(names.applicationSecret),
      consumerKey: variable(names.consumerKey),
    });
    this.providers.set(account.key, provider);
    return provider;
  }

  /** The order cart of `account`, from which its orders take their catalog prices. */
  cartFor(account: OvhAccount): DataOvhOrderCart {
    const existing = this.carts.get(account.key);
    if (existing) return existing;
    const cart = new DataOvhOrderCart(this, `${account.key}-cart`, {
      provider: this.providerFor(account),
      ovhSubsidiary: this.props.subsidiary,
      description: 'ovh-agency-iac',
    });
    this.carts.set(account.key, cart);
    return cart;
  }
}
