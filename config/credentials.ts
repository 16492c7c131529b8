/**
 * The naming scheme of OVH API credentials, one set per OVH account: Terraform variables
 * `ovh_<account key>_<credential>`, set in the environment as `TF_VAR_ovh_<account key>_<credential>`.
 */
export function credentialVariables(accountKey: string) {
  return {
    applicationKey: `ovh_${accountKey}_application_key`,
    applicationSecret: `ovh_${accountKey}_application_secret`,
    consumerKey: `ovh_${accountKey}_consumer_key`,
  };
}
