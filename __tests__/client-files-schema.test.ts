/**
 * The JSON Schemas that editors read: generated from the zod schemas, committed, named by every example file and
 * by each scaffolded one, and checking what the loader checks for shapes (a JSON Schema validator, ajv, reads them
 * as an editor's language server does).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { JSON_SCHEMAS, jsonSchemaText } from '../schemas/json-schemas';
import { newClient } from '../lifecycle/new-client';
import { clientsFolder, standardClient } from './support';

const examples = path.resolve(__dirname, '..', 'clients');
const kindOf = (file: string) => (path.basename(file) === 'agency.yaml' ? 'agency' : 'client');
const validator = (kind: keyof typeof JSON_SCHEMAS) =>
  new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(JSON_SCHEMAS[kind].file, 'utf8')));
/** The schema a file names on its first line, resolved from the file's folder. */
const namedSchema = (file: string) => {
  const match = /^# yaml-language-server: \$schema=(\S+)\n/.exec(fs.readFileSync(file, 'utf8'));
  return match && path.resolve(path.dirname(file), match[1]);
};

test.each(Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[])(
  'the committed %s schema is the one the zod schemas give (else: npm run schemas)',
  (kind) => {
    expect(fs.readFileSync(JSON_SCHEMAS[kind].file, 'utf8')).toBe(jsonSchemaText(kind));
  },
);

test.each(fs.readdirSync(examples))('clients/%s names its schema and follows it', (name) => {
  const file = path.join(examples, name);
  expect(namedSchema(file)).toBe(JSON_SCHEMAS[kindOf(file)].file);
  const validate = validator(kindOf(file));
  expect({ valid: validate(parse(fs.readFileSync(file, 'utf8'))), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
});

test('a new client file names the schema, from whatever folder it is in', () => {
  const dir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });
  const file = newClient(dir, { id: 'maison-dupont.fr', name: 'Maison Dupont', nic: 'md11223-ovh' });
  expect(namedSchema(file)).toBe(JSON_SCHEMAS.client.file);
});

test('an editor checking against the schema catches a misspelt key, a wrong size and a malformed nichandle', () => {
  const validate = validator('client');
  expect(validate({ ...standardClient, size: 'huge', nichandle: 'BF12345', domains: [{ name: 'betterfinance.eu', dnszone: false }] })).toBe(
    false,
  );
  expect(validate.errors!.map((error) => `${error.instancePath} ${error.keyword}`).sort()).toEqual([
    '/domains/0 additionalProperties',
    '/nichandle pattern',
    '/size enum',
  ]);
});
