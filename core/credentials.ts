/**
 * The naming scheme of OVH API credentials, one set per OVH account: Terraform variables
 * `ovh_<account key>_<credential>`, set in the environment as `TF_VAR_ovh_<account key>_<credential>`.
 */
import * as z from 'zod';

export function credentialVariables(accountKey: string) {
  return {
    applicationKey: `ovh_${accountKey}_application_key`,
    applicationSecret: `ovh_${accountKey}_application_secret`,
    consumerKey: `ovh_${accountKey}_consumer_key`,
  };
}

/**
 * The Terraform variable every stack's \`ovh\` providers take their API endpoint from; its default is agency.yaml's
 * \`ovh.endpoint\`. \`npm run verify\` points it at its stand-in of the OVH API (\`TF_VAR_ovh_endpoint\`): go-ovh takes
 * a URL (anything holding a \`/\`) as well as an endpoint's name.
 */
export const ENDPOINT_VARIABLE = 'ovh_endpoint';

export type ApiCredentials = Record<keyof ReturnType<typeof credentialVariables>, string>;

/** Names the variables to set, never a value: the message may end up in logs. */
export class MissingCredentialsError extends Error {
  constructor(
    accountKey: string,
    readonly variables: string[],
  ) {
    super(`no API credentials for OVH account "${accountKey}": set ${variables.join(', ')}`);
    this.name = 'MissingCredentialsError';
  }
}

const Secret = z.string().trim().min(1);

/** The environment variables of an account's credentials: the Terraform variables, as Terraform reads them. */
export function credentialEnvironment(accountKey: string): ReturnType<typeof credentialVariables> {
  const names = credentialVariables(accountKey);
  return {
    applicationKey: `TF_VAR_${names.applicationKey}`,
    applicationSecret: `TF_VAR_${names.applicationSecret}`,
    consumerKey: `TF_VAR_${names.consumerKey}`,
  };
}

/**
 * The credentials of one account, read from the environment Terraform itself reads them from (`TF_VAR_...`),
 * so one set of exported variables serves `terraform apply` and the contacts tool alike.
 */
export function credentialsFromEnv(accountKey: string, env: NodeJS.ProcessEnv): ApiCredentials {
  const variables = credentialEnvironment(accountKey);
  const missing: string[] = [];
  const read = (variable: string) => {
    const parsed = Secret.safeParse(env[variable]);
    if (!parsed.success) missing.push(variable);
    return parsed.data ?? '';
  };
  const credentials = {
    applicationKey: read(variables.applicationKey),
    applicationSecret: read(variables.applicationSecret),
    consumerKey: read(variables.consumerKey),
  };
  if (missing.length > 0) throw new MissingCredentialsError(accountKey, missing);
  return credentials;
}
