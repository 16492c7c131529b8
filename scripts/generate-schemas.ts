/** `npm run schemas`: writes the JSON Schemas of the client and agency files into schemas/ (see config/json-schema.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMAS, jsonSchemaText } from '../config/json-schema';

for (const kind of Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[]) {
  const { file } = JSON_SCHEMAS[kind];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, jsonSchemaText(kind));
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}
