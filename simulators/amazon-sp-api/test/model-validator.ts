/**
 * Test support: loads an official SP-API model (../shared/amazon/models) and validates a JSON value
 * against one of its schemas — required properties, JSON types, enums, no invented properties.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const modelsDir = path.resolve(repoRoot, '..', 'shared', 'amazon', 'models');
export const modelsSkip = existsSync(modelsDir)
  ? false
  : `../shared/amazon/models not found at ${modelsDir}; model conformance not checked`;

export type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
};
export type Model = {
  paths: Record<string, Record<string, { responses: Record<string, { schema?: Schema }> }>>;
  definitions: Record<string, Schema>;
};

export function loadModel(file: string): Model {
  return JSON.parse(readFileSync(path.join(modelsDir, file), 'utf8')) as Model;
}

function resolve(model: Model, schema: Schema): Schema {
  let current = schema;
  while (current.$ref) current = model.definitions[current.$ref.replace('#/definitions/', '')]!;
  return current;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems found in `value` against `schema`, as "path: problem" strings. */
export function validate(
  model: Model,
  value: unknown,
  schemaIn: Schema,
  where: string,
  problems: string[],
): void {
  const schema = resolve(model, schemaIn);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  const actual = jsonType(value);
  if (type && !(actual === type || (type === 'number' && actual === 'integer'))) {
    problems.push(`${where}: expected ${type}, got ${actual}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) => {
      validate(model, item, schema.items!, `${where}[${i}]`, problems);
    });
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (!(name in object)) problems.push(`${where}: missing required ${name}`);
    for (const [name, child] of Object.entries(object)) {
      const property = schema.properties?.[name];
      if (property) validate(model, child, property, `${where}.${name}`, problems);
      else if (
        schema.properties &&
        schema.additionalProperties !== true &&
        typeof schema.additionalProperties !== 'object'
      ) {
        problems.push(`${where}: property ${name} is not in the model`);
      }
    }
  }
}
