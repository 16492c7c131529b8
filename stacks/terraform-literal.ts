/**
 * Where data from the client files becomes construct input, it is made literal for Terraform: Terraform's JSON
 * syntax evaluates `${...}` and `%{...}` in every string of an argument, so a DNS TXT target such as
 * `${var.ovh_cedricfrancoys_application_secret}` would publish a secret. `$${` and `%%{` are Terraform's escapes of
 * those two sequences, and the only ones: `$`, `%`, `$$` or `%%` alone stay as they are (proved with real terraform
 * by `__tests__/hostile-terraform.test.ts`). CDK for Terraform writes such strings unchanged, unless they hold its
 * own token marker `{TfToken[`, which the loader refuses in every value.
 *
 * The schema refuses template sequences wherever they can never be legitimate (ids, names, plan codes, URLs...), so
 * this changes only free text (descriptions, TXT-like targets). Terraform reads the descriptions of variables and
 * outputs literally, without escapes: no free text goes there.
 */

/** `text` with each `${` and `%{` escaped. */
export function escapeTemplates(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

/** `value` (plain data: the plan of a client) with every string escaped; keys are the plan's own, never file data. */
export function terraformLiteral<T>(value: T): T {
  if (typeof value === 'string') return escapeTemplates(value) as T;
  if (Array.isArray(value)) return value.map((item) => terraformLiteral(item)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terraformLiteral(item)])) as T;
  return value;
}
