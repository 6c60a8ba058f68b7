import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Holds the stand-in (and the bot talking to it) to Discord's published OpenAPI description
 * (test/support/discord-openapi/openapi.json): every request body, path parameter and response body
 * that passes through the stand-in's REST layer is validated with ajv (JSON Schema 2020-12).
 * Violations are kept on the stand-in and in a per-process ledger that the vitest setup file
 * (test/support/openapi-setup.ts) drains after every test, so a violation fails the test that caused it.
 */

export const OPENAPI_SPEC_PATH = fileURLToPath(new URL('../../test/support/discord-openapi/openapi.json', import.meta.url));
/** Where each test process writes its counts for the end-of-run summary (set by the global setup). */
export const OPENAPI_REPORT_DIR_ENV = 'HML_OPENAPI_REPORT_DIR';
const SPEC_ID = 'https://discord.com/api/v10/openapi.json';

export interface ContractViolation {
  side: 'request' | 'response';
  method: string;
  /** Path relative to /api/v10, as sent. */
  path: string;
  /** The spec's path template, when one matched. */
  template: string | null;
  status?: number;
  message: string;
}

interface SchemaObject {
  [key: string]: unknown;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaObject }> };
  responses?: Record<string, ResponseObject | { $ref: string }>;
}

interface ResponseObject {
  content?: Record<string, { schema?: SchemaObject }>;
}

interface Parameter {
  name: string;
  in: string;
  schema?: SchemaObject;
}

interface PathItem {
  parameters?: Parameter[];
  [method: string]: unknown;
}

interface Spec {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, SchemaObject>; responses: Record<string, ResponseObject> };
}

interface Template {
  template: string;
  segments: string[];
  literals: number;
  item: PathItem;
}

type Ajv = InstanceType<typeof Ajv2020Module.default>;

/** The spec is 1 MB: read, transform and index it once per process, compile validators on first use. */
class SpecIndex {
  readonly ajv: Ajv;
  private readonly spec: Spec;
  private readonly templates: Template[];
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor() {
    this.spec = JSON.parse(readFileSync(OPENAPI_SPEC_PATH, 'utf8')) as Spec;
    relaxPermissionBitsets(this.spec.components.schemas);
    const Ajv2020 = Ajv2020Module.default;
    this.ajv = new Ajv2020({
      // The file carries OpenAPI annotations (x-discord-union, contentEncoding, ...) that are not validation keywords.
      strict: false,
      allErrors: false,
      formats: FORMATS,
    });
    this.ajv.addSchema({ $id: SPEC_ID, components: { schemas: this.spec.components.schemas } });
    this.templates = Object.entries(this.spec.paths).map(([template, item]) => {
      const segments = template.split('/').filter(Boolean);
      return { template, segments, literals: segments.filter((segment) => !segment.startsWith('{')).length, item };
    });
  }

  /** The most specific template: `/users/@me` wins over `/users/{user_id}`. */
  match(path: string): { template: Template; params: Record<string, string> } | null {
    const actual = path.split('/').filter(Boolean);
    let best: { template: Template; params: Record<string, string> } | null = null;
    for (const template of this.templates) {
      if (template.segments.length !== actual.length) continue;
      const params: Record<string, string> = {};
      let matches = true;
      for (let index = 0; index < actual.length && matches; index += 1) {
        const expected = template.segments[index] ?? '';
        const value = safeDecode(actual[index] ?? '');
        if (expected.startsWith('{')) params[expected.slice(1, -1)] = value;
        else matches = expected === value;
      }
      if (matches && (!best || template.literals > best.template.literals)) best = { template, params };
    }
    return best;
  }

  operation(template: Template, method: string): Operation | null {
    const operation = template.item[method.toLowerCase()];
    return operation && typeof operation === 'object' ? (operation as Operation) : null;
  }

  /** The documented response for a status (exact, then `4XX`-style, then default) and the key it is filed under. */
  response(operation: Operation, status: number): { key: string; response: ResponseObject } | null {
    const responses = operation.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((candidate) => responses[candidate]);
    const found = key ? responses[key] : undefined;
    if (!key || !found) return null;
    if ('$ref' in found && typeof found.$ref === 'string') {
      const resolved = this.spec.components.responses[found.$ref.replace('#/components/responses/', '')];
      return resolved ? { key, response: resolved } : null;
    }
    return { key, response: found as ResponseObject };
  }

  /** A compiled validator for an inline schema of the spec, cached by its location. */
  validator(key: string, schema: SchemaObject | undefined): ValidateFunction | null {
    if (!schema) return null;
    if (this.validators.has(key)) return this.validators.get(key) ?? null;
    const compiled = this.ajv.compile(absoluteRefs(schema));
    this.validators.set(key, compiled);
    return compiled;
  }
}

let index: SpecIndex | null = null;
const specIndex = (): SpecIndex => (index ??= new SpecIndex());

/**
 * THE one place where the published file is relaxed (two rules, both where Discord accepts or sends
 * more than the file says). It types permission bitsets in request bodies
 * (`permissions`, `allow`, `deny`, `default_member_permissions`) as integers, while Discord documents
 * them as strings ("serialized strings" of the bitset, which can exceed 2^53) and discord.js sends
 * decimal strings. Such a property also accepts a decimal string; nothing else changes.
 */
const PERMISSION_BITSET_PROPERTIES = new Set(['permissions', 'allow', 'deny', 'default_member_permissions']);
function relaxPermissionBitsets(schemas: Record<string, SchemaObject>): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as SchemaObject;
    const properties = record.properties as Record<string, SchemaObject> | undefined;
    if (properties && typeof properties === 'object') {
      for (const [name, property] of Object.entries(properties)) {
        const type = property.type;
        const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
        if (PERMISSION_BITSET_PROPERTIES.has(name) && integer) {
          properties[name] = { anyOf: [property, { type: 'string', pattern: '^(0|[1-9][0-9]*)$' }] };
        }
      }
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(schemas);
  // The same kind of over-strictness in errors: field errors under `errors.*._errors` carry string codes
  // such as "BASE_TYPE_REQUIRED" (Discord's error-message docs; discord-api-types' RESTErrorFieldInformation),
  // while the file reuses the top-level Error with an integer code. Only those entries are relaxed.
  const inner = schemas.InnerErrors?.properties as Record<string, SchemaObject> | undefined;
  if (inner?._errors) {
    inner._errors = {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] },
    };
  }
}

/** Inline path schemas refer to `#/components/...` of the whole file; point them at the added document. */
function absoluteRefs(schema: SchemaObject): SchemaObject {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : value,
  ) as SchemaObject;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Real checks for the formats the file uses (ajv-formats is not a dependency). */
const FORMATS = {
  snowflake: /^(?:0|[1-9]\d*)$/,
  'date-time': (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
  uri: (value: string) => URL.canParse(value),
  int32: { type: 'number' as const, validate: (value: number) => Number.isInteger(value) && value >= INT32.min && value <= INT32.max },
  int64: { type: 'number' as const, validate: (value: number) => Number.isInteger(value) },
  double: { type: 'number' as const, validate: (value: number) => Number.isFinite(value) },
  // Message nonces: an integer or a string of at most 25 characters (the schema bounds the string itself).
  nonce: true as const,
};

/** Process-wide totals, for the end-of-run summary, and violations not yet reported to a test. */
export const contractLedger = {
  requests: 0,
  requestBodies: 0,
  responses: 0,
  violations: 0,
  pending: [] as ContractViolation[],
  /** Distinct violations (without ids), for the end-of-run summary. */
  samples: new Set<string>(),
};
const ledgerFile = `${process.pid}-${randomUUID()}.json`;

/** Writes this process's totals where the global setup's teardown sums them. */
export function writeContractLedger(): void {
  const dir = process.env[OPENAPI_REPORT_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const { requests, requestBodies, responses, violations, samples } = contractLedger;
  writeFileSync(join(dir, ledgerFile), JSON.stringify({ requests, requestBodies, responses, violations, samples: [...samples].slice(0, 20) }));
}

/** Takes the violations recorded since the last call (the setup file fails the current test with them). */
export function takePendingViolations(): ContractViolation[] {
  return contractLedger.pending.splice(0);
}

export function formatViolation(violation: ContractViolation): string {
  const status = violation.status === undefined ? '' : ` → ${violation.status}`;
  return `${violation.side} ${violation.method} ${violation.path}${status} (${violation.template ?? 'no template'}): ${violation.message}`;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''}`)
    .join('; ');
}

/** One stand-in's view: it checks what passes through its REST layer and keeps its own violations. */
export class OpenApiContract {
  readonly violations: ContractViolation[] = [];
  requests = 0;
  responses = 0;

  /**
   * Removes and returns this stand-in's violations, for a test that sends an invalid request on purpose
   * (the stand-in's own tests) and asserts that the contract caught it.
   */
  take(): ContractViolation[] {
    const taken = this.violations.splice(0);
    contractLedger.pending = contractLedger.pending.filter((violation) => !taken.includes(violation));
    contractLedger.violations -= taken.length;
    return taken;
  }

  private record(violation: ContractViolation): void {
    this.violations.push(violation);
    contractLedger.violations += 1;
    contractLedger.pending.push(violation);
    const { side, method, template, status, message } = violation;
    contractLedger.samples.add(`${side} ${method} ${template ?? violation.path.replace(/\d{17,20}/g, '{id}')}${status ? ` → ${status}` : ''}: ${message}`);
  }

  /** Path parameters and the JSON body (for multipart, its `payload_json`) of a request under /api/v10. */
  checkRequest(method: string, path: string, body: unknown): void {
    const spec = specIndex();
    const matched = spec.match(path);
    const operation = matched ? spec.operation(matched.template, method) : null;
    if (!matched || !operation) {
      this.record({ side: 'request', method, path, template: matched?.template.template ?? null, message: "no such operation in Discord's OpenAPI description" });
      return;
    }
    const template = matched.template.template;
    this.requests += 1;
    contractLedger.requests += 1;
    const parameters = [...(matched.template.item.parameters ?? []), ...(operation.parameters ?? [])].filter((parameter) => parameter.in === 'path');
    for (const parameter of parameters) {
      const validate = spec.validator(`${template} path ${parameter.name}`, parameter.schema);
      const value = matched.params[parameter.name];
      if (validate && value !== undefined && !validate(value)) {
        this.record({ side: 'request', method, path, template, message: `path parameter ${parameter.name}: ${describeErrors(validate.errors)}` });
      }
    }
    const requestBody = operation.requestBody;
    if (body === undefined) {
      if (requestBody?.required) this.record({ side: 'request', method, path, template, message: 'the operation requires a body and none was sent' });
      return;
    }
    if (!requestBody) {
      this.record({ side: 'request', method, path, template, message: 'a body was sent to an operation that takes none' });
      return;
    }
    contractLedger.requestBodies += 1;
    const validate = spec.validator(`${method} ${template} request`, requestBody.content?.['application/json']?.schema);
    if (validate && !validate(body)) {
      this.record({ side: 'request', method, path, template, message: describeErrors(validate.errors) });
    }
  }

  /** The status and JSON body the stand-in answers with. 5xx answers are injected faults, which the file does not describe. */
  checkResponse(method: string, path: string, status: number, body: unknown): void {
    if (status >= 500) return;
    const spec = specIndex();
    const matched = spec.match(path);
    const operation = matched ? spec.operation(matched.template, method) : null;
    // An unknown operation was already reported on the request side (and is the stand-in's 404/405).
    if (!matched || !operation) return;
    const template = matched.template.template;
    this.responses += 1;
    contractLedger.responses += 1;
    const documented = spec.response(operation, status);
    if (!documented) {
      this.record({ side: 'response', method, path, template, status, message: `status ${status} is not one Discord documents for this operation` });
      return;
    }
    const schema = documented.response.content?.['application/json']?.schema;
    if (!schema) {
      if (body !== undefined) this.record({ side: 'response', method, path, template, status, message: 'a body was returned where Discord returns none' });
      return;
    }
    if (body === undefined) {
      this.record({ side: 'response', method, path, template, status, message: 'no body was returned where Discord returns one' });
      return;
    }
    const validate = spec.validator(`${method} ${template} ${documented.key} response`, schema);
    if (validate && !validate(body)) {
      this.record({ side: 'response', method, path, template, status, message: describeErrors(validate.errors) });
    }
  }
}
