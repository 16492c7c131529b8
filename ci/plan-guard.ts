/**
 * What a stack's folder may hold before a job with credentials runs Terraform in it. Terraform would run what the
 * folder says at plan time (providers, data sources, functions that read the runner's files) and reads every
 * `*.tf`, `*.tf.json`, override and `*.auto.tfvars` file in it, so the plan jobs run this check first, on every
 * stack of their share, and plan none when one fails: the folder holds `cdk.tf.json` and nothing else, a regular
 * file of bounded size; credentials flow only into the provider configurations they are for; providers come only
 * from the allow-list (pinned versions); state only from the backend the agency configured, to the key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { credentialVariables, ENDPOINT_VARIABLE } from '../core/credentials';
import { PINNED_PROVIDERS } from '../provider-schema/providers';
import type { BackendBlock } from '../stacks/backend-block';
import { isJsonObject, type Json, type JsonObject } from '../review/stack-tree';

/** The one file the synthesis writes into a stack's folder. */
export const STACK_FILE = 'cdk.tf.json';
/** A large client's stack is some 100 KB; far beyond that is no stack the synthesis wrote. */
const MAX_STACK_BYTES = 32 * 1024 * 1024;
/** Stack names are client ids and `agency`: no separator, no `..`. */
const STACK_NAME = /^[a-z0-9][a-z0-9.-]*$/;

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
  /** The backend the stack must have, exactly: the one the agency configured (stacks/backend-block.ts). */
  backend: BackendBlock;
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

function terraformProblems(settings: Json, options: GuardOptions): string[] {
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
  problems.push(...differences(settings.backend, options.backend as unknown as Json, 'terraform.backend'));
  return problems;
}

/**
 * Where `actual` differs from `expected`, key by key: a missing or different value, or a key the expected block does
 * not have (an S3 backend's `access_key`, `endpoints.sts`, `shared_credentials_files`...). Never shows a value found.
 */
function differences(actual: Json | undefined, expected: Json, at: string): string[] {
  if (!isJsonObject(expected)) return actual === expected ? [] : [`${at}: expected ${JSON.stringify(expected)}`];
  if (!isJsonObject(actual)) return [`${at}: expected ${JSON.stringify(expected)}`];
  return [
    ...Object.entries(expected).flatMap(([key, value]) => differences(actual[key], value, `${at}.${key}`)),
    ...Object.keys(actual)
      .filter((key) => !Object.hasOwn(expected, key))
      .map((key) => `${at}.${key}: not allowed (the agency's backend has no such setting)`),
  ];
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
export function guardStack(json: JsonObject, options: GuardOptions): string[] {
  const problems = Object.keys(json)
    .filter((section) => !SECTIONS.has(section))
    .map((section) => `${section}: not allowed in a stack (only ${[...SECTIONS].filter((s) => s !== '//').join(', ')})`);
  for (const [section, value] of Object.entries(json)) {
    if (section === 'provider') problems.push(...providerProblems(value));
    else if (section === 'terraform') problems.push(...terraformProblems(value, options));
    else if (section === 'variable') problems.push(...variableProblems(value));
    else if (section === 'removed') problems.push(...removedProblems(value));
    else if (section !== '//') problems.push(...expressionProblems(section, value));
  }
  if (!json.terraform) problems.push(...terraformProblems({}, options));
  return problems;
}

export interface GuardedStack {
  /** The stack's JSON, when its folder could be read; check `problems` before using it. */
  json?: JsonObject;
  /** Every reason to refuse the stack, each naming the file or the place; none means it may be planned. */
  problems: string[];
}

/**
 * Reads `<stacksDir>/stacks/<stack>/cdk.tf.json` as the guard allows it, and guards it: the folder is a folder (not a
 * link), holds that one regular file and nothing else, of bounded size, valid JSON; then `guardStack`. Undefined
 * when the stack has no folder at all (a stack the change removes).
 */
export function guardStackFolder(stacksDir: string, stack: string, options: GuardOptions): GuardedStack | undefined {
  if (!STACK_NAME.test(stack)) return { problems: [`"${stack}" is not a stack name`] };
  const dir = path.join(stacksDir, 'stacks', stack);
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isDirectory()) return { problems: [`${dir}: not a folder of its own (a symbolic link or a file)`] };
  const problems = fs
    .readdirSync(dir)
    .filter((name) => name !== STACK_FILE)
    .sort()
    .map(
      (name) =>
        `${path.join(dir, name)}: not written by the synthesis, and Terraform would read it: only ${STACK_FILE} may be in a stack's folder`,
    );
  const file = path.join(dir, STACK_FILE);
  const fileStat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!fileStat) return { problems: [...problems, `${file}: missing`] };
  if (!fileStat.isFile()) return { problems: [...problems, `${file}: not a regular file (a symbolic link may point anywhere)`] };
  if (fileStat.size > MAX_STACK_BYTES)
    return { problems: [...problems, `${file}: ${fileStat.size} bytes, more than a stack can be (${MAX_STACK_BYTES})`] };
  let json: Json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  } catch {
    return { problems: [...problems, `${file}: not valid JSON`] };
  }
  if (!isJsonObject(json)) return { problems: [...problems, `${file}: expected a JSON object`] };
  return { json, problems: [...problems, ...guardStack(json, options).map((problem) => `${file}: ${problem}`)] };
}

/** The OVH accounts (keys) a stack declares credentials for: the only ones its job may decrypt. */
export function accountsOf(json: JsonObject): string[] {
  const variables = isJsonObject(json.variable) ? Object.keys(json.variable) : [];
  return [...new Set(variables.flatMap((name) => CREDENTIAL_VARIABLE.exec(name)?.[1] ?? []))].sort();
}
