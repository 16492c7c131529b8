/**
 * What a synthesized stack may hold before a job with credentials plans it. The stacks a pull request brings are its
 * author's: its code made them. Terraform itself would run what they say at plan time (providers, data sources,
 * functions that read the runner's files), so the plan jobs run this check (the default branch's copy) first, on
 * every stack, and plan none when one fails. Credentials may flow only into the provider configurations they are
 * for; providers come only from the allow-list (pinned versions); state only from the stack's own key.
 */
import { credentialVariables, ENDPOINT_VARIABLE } from '../config/credentials';
import { PINNED_PROVIDERS } from '../provider-schema/providers';
import { isJsonObject, type Json, type JsonObject } from './stack-tree';

/** OVH's API endpoints by name (ovh/ovh v2.19.0: ovh/config.go `plateMapping`; its vendored go-ovh takes any other value as a URL). */
const OVH_ENDPOINTS = ['ovh-eu', 'ovh-ca', 'ovh-us', 'kimsufi-eu', 'kimsufi-ca', 'soyoustart-eu', 'soyoustart-ca'];

/**
 * Terraform functions an expression may call: none reads the runner (no `file`, `templatefile`, `fileset`,
 * `abspath`...) and none reveals a sensitive value (`nonsensitive`). The stacks use none today; add one here only
 * with that in mind.
 */
const ALLOWED_FUNCTIONS = new Set([
  'concat',
  'element',
  'format',
  'join',
  'jsonencode',
  'length',
  'lookup',
  'merge',
  'tolist',
  'tomap',
  'toset',
  'try',
]);

const SECTIONS = new Set(['//', 'terraform', 'provider', 'resource', 'data', 'variable', 'output', 'locals', 'import', 'moved', 'removed']);
const CREDENTIAL_VARIABLE = /^ovh_([a-z0-9_]+)_(application_key|application_secret|consumer_key)$/;
const PROVIDER_CREDENTIALS = {
  application_key: 'applicationKey',
  application_secret: 'applicationSecret',
  consumer_key: 'consumerKey',
} as const;

export interface GuardOptions {
  /** The state bucket the plan job reads (remote state); undefined: local state, a `local` backend is expected. */
  stateBucket?: string;
}

/** The expressions (`${...}`, `%{...}`) in a JSON string, without the escaped `$${` and `%%{`. */
export function expressionsIn(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const two = text.slice(i, i + 2);
    if ((two === '$$' || two === '%%') && text[i + 2] === '{') {
      i += 2;
      continue;
    }
    if ((two === '${' || two === '%{') === false) continue;
    let depth = 0;
    let quoted = false;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quoted) {
        if (c === '\\') j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    found.push(text.slice(i + 2, j));
    i = j;
  }
  return found;
}

const functionCalls = (expression: string) => [...expression.matchAll(/(?<![\w.])([A-Za-z_][\w]*(?:::[\w]+)*)\s*\(/g)].map((m) => m[1]);

/** Every string in `value`, with its place. */
function strings(value: Json | undefined, at: string): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (isJsonObject(value))
    return Object.entries(value).flatMap(([key, item]) => (key === '//' ? [] : strings(item, at ? `${at}.${key}` : key)));
  return [];
}

function expressionProblems(section: string, value: Json): string[] {
  return strings(value, section).flatMap(({ at, text }) =>
    expressionsIn(text).flatMap((expression) => [
      ...functionCalls(expression)
        .filter((name) => !ALLOWED_FUNCTIONS.has(name))
        .map((name) => `${at}: calls ${name}(), which a stack may not (it could read the runner or reveal a secret)`),
      ...(/\bvar\./.test(expression) ? [`${at}: reads a variable; only the provider configurations may (the credentials)`] : []),
    ]),
  );
}

function providerProblems(providers: Json): string[] {
  if (!isJsonObject(providers)) return ['provider: expected an object'];
  return Object.entries(providers).flatMap(([name, configs]) => {
    if (!Object.hasOwn(PINNED_PROVIDERS, name))
      return [`provider.${name}: not an allowed provider (${Object.keys(PINNED_PROVIDERS).join(', ')})`];
    const list = Array.isArray(configs) ? configs : [configs];
    return list.flatMap((config, i) => {
      const at = `provider.${name}[${i}]`;
      if (!isJsonObject(config)) return [`${at}: expected an object`];
      if (name !== 'ovh')
        return Object.keys(config)
          .filter((key) => key !== 'alias')
          .map((key) => `${at}.${key}: not allowed`);
      const alias = typeof config.alias === 'string' ? config.alias : '';
      const names = credentialVariables(alias);
      return Object.entries(config).flatMap(([key, value]): string[] => {
        if (key === 'alias') return /^[a-z0-9_]+$/.test(alias) ? [] : [`${at}.alias: expected an account key`];
        if (key === 'endpoint')
          return value === `\${var.${ENDPOINT_VARIABLE}}` ? [] : [`${at}.endpoint: expected \${var.${ENDPOINT_VARIABLE}}`];
        if (Object.hasOwn(PROVIDER_CREDENTIALS, key)) {
          const expected = `\${var.${names[PROVIDER_CREDENTIALS[key as keyof typeof PROVIDER_CREDENTIALS]]}}`;
          return value === expected ? [] : [`${at}.${key}: expected ${expected}, the account's own variable`];
        }
        return [`${at}.${key}: not allowed`];
      });
    });
  });
}

function terraformProblems(stack: string, settings: Json, options: GuardOptions): string[] {
  if (!isJsonObject(settings)) return ['terraform: expected an object'];
  const problems = Object.keys(settings)
    .filter((key) => !['backend', 'required_providers', 'required_version'].includes(key))
    .map((key) => `terraform.${key}: not allowed`);
  const required = isJsonObject(settings.required_providers) ? settings.required_providers : {};
  for (const [name, spec] of Object.entries(required)) {
    const allowed = Object.hasOwn(PINNED_PROVIDERS, name) ? PINNED_PROVIDERS[name as keyof typeof PINNED_PROVIDERS] : undefined;
    const ok = allowed && isJsonObject(spec) && spec.source === allowed.source && spec.version === allowed.version;
    if (!ok)
      problems.push(
        `terraform.required_providers.${name}: expected one of ${Object.values(PINNED_PROVIDERS)
          .map((p) => `${p.source} ${p.version}`)
          .join(', ')}`,
      );
  }
  const backend = isJsonObject(settings.backend) ? settings.backend : {};
  const kinds = Object.keys(backend);
  const s3 = isJsonObject(backend.s3) ? backend.s3 : undefined;
  if (options.stateBucket) {
    const ok = kinds.length === 1 && s3 && s3.bucket === options.stateBucket && s3.key === `${stack}/terraform.tfstate`;
    if (!ok) problems.push(`terraform.backend: expected the s3 backend, bucket "${options.stateBucket}", key "${stack}/terraform.tfstate"`);
  } else if (!(kinds.length === 1 && kinds[0] === 'local')) {
    problems.push('terraform.backend: expected the local backend (no state bucket is configured)');
  }
  return problems;
}

function variableProblems(variables: Json): string[] {
  if (!isJsonObject(variables)) return ['variable: expected an object'];
  return Object.entries(variables).flatMap(([name, body]) => {
    // The endpoint defaults to one of OVH's: only the environment of a run (verify's stand-in) points it elsewhere.
    if (name === ENDPOINT_VARIABLE)
      return isJsonObject(body) && typeof body.default === 'string' && OVH_ENDPOINTS.includes(body.default)
        ? []
        : [`variable.${name}: its default must be one of OVH's endpoints (${OVH_ENDPOINTS.join(', ')})`];
    if (!CREDENTIAL_VARIABLE.test(name)) return [`variable.${name}: only the OVH credentials and endpoint may be variables`];
    return isJsonObject(body) && body.sensitive === true ? [] : [`variable.${name}: must be sensitive`];
  });
}

/**
 * `removed` blocks only in the form the stacks write, which makes Terraform forget a resource (`destroy = false`):
 * one that destroys, or carries a destroy-time provisioner (Terraform 1.9 and later run those), is refused.
 */
function removedProblems(blocks: Json): string[] {
  if (!Array.isArray(blocks)) return ['removed: expected a list'];
  return blocks.flatMap((block, i) => {
    const at = `removed[${i}]`;
    const forgets =
      isJsonObject(block) &&
      Object.keys(block).every((key) => key === 'from' || key === 'lifecycle') &&
      typeof block.from === 'string' &&
      /^[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(block.from) &&
      isJsonObject(block.lifecycle) &&
      Object.keys(block.lifecycle).length === 1 &&
      block.lifecycle.destroy === false;
    return forgets
      ? []
      : [`${at}: only { from: "<type>.<name>", lifecycle: { destroy: false } } is allowed (a resource forgotten, never destroyed)`];
  });
}

/** The problems of one stack; none means it may be planned with its accounts' credentials. */
export function guardStack(stack: string, json: JsonObject, options: GuardOptions = {}): string[] {
  const problems = Object.keys(json)
    .filter((section) => !SECTIONS.has(section))
    .map((section) => `${section}: not allowed in a stack (only ${[...SECTIONS].filter((s) => s !== '//').join(', ')})`);
  for (const [section, value] of Object.entries(json)) {
    if (section === 'provider') problems.push(...providerProblems(value));
    else if (section === 'terraform') problems.push(...terraformProblems(stack, value, options));
    else if (section === 'variable') problems.push(...variableProblems(value));
    else if (section === 'removed') problems.push(...removedProblems(value));
    else if (section !== '//') problems.push(...expressionProblems(section, value));
  }
  if (!json.terraform) problems.push(...terraformProblems(stack, {}, options));
  return problems;
}

/** The OVH accounts (keys) a stack declares credentials for: the only ones its job may decrypt. */
export function accountsOf(json: JsonObject): string[] {
  const variables = isJsonObject(json.variable) ? Object.keys(json.variable) : [];
  return [...new Set(variables.flatMap((name) => CREDENTIAL_VARIABLE.exec(name)?.[1] ?? []))].sort();
}
