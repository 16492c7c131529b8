/**
 * The procedure's contact rules: which accounts a service's contacts must be, and which account Terraform reaches it
 * through before and after its contacts follow them.
 */
import type { ContactOverrides } from '../config/schema';
import type { Contacts, OvhAccount } from './plan';

/**
 * Owner, admin and tech are the service's own account (the client's, or the isolated product's); billing is the
 * internal account that pays. Overrides, from the widest (client-wide, then product-wide) to the service's own, can
 * name a third-party tech operator or hand billing over to the client; `client` names the service's own account.
 */
export function desiredContacts(
  owner: OvhAccount,
  payer: OvhAccount,
  ...overrides: (ContactOverrides | undefined)[]
): Omit<Contacts, 'owner'> {
  const { tech, billing } = Object.assign({}, ...overrides) as ContactOverrides;
  const account = (chosen: string | undefined, otherwise: string) => (chosen === 'client' ? owner.nichandle : (chosen ?? otherwise));
  return { admin: owner.nichandle, tech: account(tech, owner.nichandle), billing: account(billing, payer.nichandle) };
}

/**
 * The account Terraform operates a service and its content through: the one that ordered it, until its contacts follow
 * the procedure; then its admin, the client (`handedOver: true` in the file, once `contacts plan` says in sync), since
 * the account that ordered it is left as billing contact only and OVH lets a billing contact see nothing but bills.
 * A service ordered by hand has the client in its order form's contact fields: it is the client's from the start.
 */
export function operatingAccount(orderedBy: OvhAccount, admin: OvhAccount, handedOver: boolean): OvhAccount {
  return handedOver ? admin : orderedBy;
}
