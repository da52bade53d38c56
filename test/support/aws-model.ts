// Validates plain values against the static schemas the AWS SDK v3 clients ship, so tests check
// requests and findings against the real API model instead of shapes we wrote ourselves.
// Encoding (see @smithy/core/dist-es/submodules/schema): a schema ref is a sentinel number, a thunk,
// a member pair [ref, traits], or a tuple [tag, namespace, name, traits, ...] with tag
// 0 named simple shape (wraps a sentinel), 1 list, 2 map, 3 structure, -3 error, 4 union, 9 operation.
import { AwsSecurityFinding$, RecordState, ResourceDetails$, SeverityLabel } from '@aws-sdk/client-securityhub';

/** Deliberately loose: the SDK's own schema types live in @smithy/types, which we do not depend on. */
export type SchemaRef = number | string | readonly unknown[] | (() => unknown);

type Obj = Record<string, unknown>;

// Sentinels from @smithy/core schemas/sentinels.js; lists and maps of simple shapes are `64 | x` and `128 | x`.
const STRING = 0, NUMERIC = 1, BOOLEAN = 2, DOCUMENT = 15, BIG_INTEGER = 17, BIG_DECIMAL = 19;
const BLOB = 21, STREAMING_BLOB = 42, LIST_OF = 64, MAP_OF = 128;
const IDEMPOTENCY_TOKEN_BIT = 0b100; // numeric traits are a bitmask, see translateTraits.js

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

const kind = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && !Number.isFinite(v) ? String(v)
    : typeof v === 'object' && !isObj(v) ? (v.constructor?.name ?? 'object') : typeof v;

const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const hasTrait = (traits: unknown, name: string, bit: number): boolean =>
  typeof traits === 'number' ? (traits & bit) !== 0 : isObj(traits) && traits[name] !== undefined;

/** Follows thunks, member pairs and named simple shapes down to a sentinel or a shape tuple. */
function resolve(ref: unknown): { schema: unknown; idempotencyToken: boolean } {
  let idempotencyToken = false;
  for (let hops = 0; hops < 64; hops++) {
    if (typeof ref === 'function') ref = (ref as () => unknown)();
    else if (Array.isArray(ref) && ref.length === 2) {
      idempotencyToken ||= hasTrait(ref[1], 'idempotencyToken', IDEMPOTENCY_TOKEN_BIT);
      ref = ref[0];
    } else if (Array.isArray(ref) && ref[0] === 0 && ref.length === 5) ref = ref[4];
    else return { schema: ref, idempotencyToken };
  }
  throw new Error('schema reference never resolves (thunk cycle)');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Strict RFC 3339 parse (Date.parse happily accepts Feb 30 and 24:00); epoch ms or undefined. */
function parseDateTime(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map(Number);
  const [offH, offM] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > lastDay || h > 23 || mi > 59 || sec > 60 || offH > 23 || offM > 59) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59)) + Number(m[7] ?? 0) * 1000 - offset;
}

type Ctx = { errors: string[]; ancestors: Set<object> };

/** Descends into a container, reporting instead of looping when a value contains itself. */
function within(value: object, path: string, ctx: Ctx, body: () => void): void {
  if (ctx.ancestors.has(value)) return void ctx.errors.push(`${path}: circular reference`);
  ctx.ancestors.add(value);
  try { body(); } finally { ctx.ancestors.delete(value); }
}

function checkJson(v: unknown, path: string, ctx: Ctx): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return;
  if (Array.isArray(v)) return within(v, path, ctx, () => v.forEach((x, i) => checkJson(x, at(path, i), ctx)));
  if (isObj(v)) return within(v, path, ctx, () => Object.entries(v).forEach(([k, x]) => checkJson(x, at(path, k), ctx)));
  ctx.errors.push(`${path}: expected JSON value, got ${kind(v)}`);
}

function checkSimple(code: number, v: unknown, path: string, ctx: Ctx): void {
  if (code >= MAP_OF) return checkMap(code & 0x3f, v, path, ctx, false);
  if (code >= LIST_OF) return checkList(code & 0x3f, v, path, ctx, false);
  const fail = (expected: string) => ctx.errors.push(`${path}: expected ${expected}, got ${kind(v)}`);
  if (code === STRING) { if (typeof v !== 'string') fail('string'); }
  else if (code === NUMERIC) { if (typeof v !== 'number' || !Number.isFinite(v)) fail('finite number'); }
  else if (code === BOOLEAN) { if (typeof v !== 'boolean') fail('boolean'); }
  else if (code >= 4 && code <= 7) {
    if (v instanceof Date) { if (Number.isNaN(v.getTime())) ctx.errors.push(`${path}: expected valid Date, got Invalid Date`); }
    else if (typeof v === 'string') { if (parseDateTime(v) === undefined) ctx.errors.push(`${path}: expected RFC 3339 date-time, got ${JSON.stringify(v)}`); }
    else fail('timestamp (Date or RFC 3339 string)');
  } else if (code === DOCUMENT) checkJson(v, path, ctx);
  else if (code === BIG_INTEGER) { if (typeof v !== 'bigint' && !Number.isSafeInteger(v)) fail('integer or bigint'); }
  else if (code === BIG_DECIMAL) { if (!(typeof v === 'number' && Number.isFinite(v)) && !(typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v))) fail('decimal number or string'); }
  else if (code === BLOB) { if (!(v instanceof Uint8Array) && typeof v !== 'string') fail('Uint8Array or string'); }
  else if (code === STREAMING_BLOB) { if (typeof v !== 'string' && (typeof v !== 'object' || v === null)) fail('stream, Uint8Array or string'); }
  else throw new Error(`${path}: unsupported schema sentinel ${code}`);
}

function checkList(member: unknown, v: unknown, path: string, ctx: Ctx, sparse: boolean): void {
  if (!Array.isArray(v)) return void ctx.errors.push(`${path}: expected list, got ${kind(v)}`);
  within(v, path, ctx, () => v.forEach((x, i) => (sparse && x === null) || check(member, x, at(path, i), ctx)));
}

function checkMap(value: unknown, v: unknown, path: string, ctx: Ctx, sparse: boolean): void {
  if (!isObj(v)) return void ctx.errors.push(`${path}: expected map, got ${kind(v)}`);
  within(v, path, ctx, () => Object.entries(v).forEach(([k, x]) => (sparse && x === null) || check(value, x, at(path, k), ctx)));
}

function checkMembers(s: readonly unknown[], v: unknown, path: string, ctx: Ctx): void {
  const [tag, , name, , names, refs, requiredCount] = s as [number, string, string, unknown, string[], unknown[], number?];
  if (!isObj(v)) return void ctx.errors.push(`${path}: expected structure ${name}, got ${kind(v)}`);
  for (const key of Object.keys(v)) if (!names.includes(key)) ctx.errors.push(`${at(path, key)}: unknown member of ${name}`);
  within(v, path, ctx, () => names.forEach((member, i) => {
    if (v[member] !== undefined) return check(refs[i], v[member], at(path, member), ctx);
    // The SDK fills idempotency tokens itself, so a missing one is not the caller's error.
    if (tag !== 4 && i < (requiredCount ?? 0) && !resolve(refs[i]).idempotencyToken) {
      ctx.errors.push(`${at(path, member)}: missing required member of ${name}`);
    }
  }));
  const set = names.filter((n) => v[n] !== undefined).length;
  if (tag === 4 && set !== 1) ctx.errors.push(`${path}: union ${name} must set exactly one member, got ${set}`);
}

function check(ref: unknown, v: unknown, path: string, ctx: Ctx): void {
  const { schema: s } = resolve(ref);
  if (typeof s === 'number') return checkSimple(s, v, path, ctx);
  if (s === 'unit') return void (v === undefined || (isObj(v) && Object.keys(v).length === 0) || ctx.errors.push(`${path}: expected nothing, got ${kind(v)}`));
  if (!Array.isArray(s)) throw new Error(`${path}: unsupported schema ${String(s)}`);
  const sparse = hasTrait(s[3], 'sparse', 0);
  if (s[0] === 1) return checkList(s[4], v, path, ctx, sparse);
  if (s[0] === 2) return checkMap(s[5], v, path, ctx, sparse); // keys are always strings in JS
  if (s[0] === 3 || s[0] === -3 || s[0] === 4) return checkMembers(s, v, path, ctx);
  if (s[0] === 9) return check(s[4], v, path, ctx); // an operation validates as its input
  throw new Error(`${path}: unsupported schema tag ${String(s[0])}`);
}

/** Model-level check of any value against an SDK schema; errors read `$.a.b[0]: expected string, got number`. */
export function validateShape(schema: SchemaRef, value: unknown, path = '$'): string[] {
  const ctx: Ctx = { errors: [], ancestors: new Set() };
  check(schema, value, path, ctx);
  return ctx.errors;
}

/** Resource types Security Hub accepts: every ResourceDetails member plus the two generic ones. */
export const SUPPORTED_RESOURCE_TYPES: ReadonlySet<string> = new Set([...ResourceDetails$[4], 'AwsAccount', 'Other']);

const TYPE_NAMESPACES = new Set(['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications']);
const SEVERITY_LABELS = new Set<unknown>(Object.values(SeverityLabel));
const RECORD_STATES = new Set<unknown>(Object.values(RecordState));
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PRODUCT_ARN = /^arn:aws(-[a-z]+)*:securityhub:([a-z0-9-]+):(\d{12})?:product\/([\w.-]+)\/([\w.-]+)$/;
const CUSTOMER_OWNED = ['Workflow', 'Note', 'UserDefinedFields'];

function checkTypes(types: unknown, path: string, errors: string[]): void {
  if (!Array.isArray(types)) return; // absence and wrong type are reported elsewhere
  if (types.length < 1 || types.length > 50) errors.push(`${path}: expected 1-50 types, got ${types.length}`);
  types.forEach((t, i) => {
    if (typeof t !== 'string') return;
    const parts = t.split('/');
    if (parts.length > 3 || parts.includes('')) errors.push(`${at(path, i)}: expected namespace/category/classifier, got ${JSON.stringify(t)}`);
    else if (!TYPE_NAMESPACES.has(parts[0] ?? '')) errors.push(`${at(path, i)}: unknown namespace ${JSON.stringify(parts[0])}`);
  });
}

/** ASFF rules the Smithy model does not carry (lengths, formats, counts); type errors are left to validateShape. */
function asffFacts(f: unknown, p: string): string[] {
  if (!isObj(f)) return [];
  const e: string[] = [];
  const str = (o: unknown, k: string) => (isObj(o) && typeof o[k] === 'string' ? o[k] : undefined);
  const length = (k: string, min: number, max: number) => {
    const s = str(f, k);
    if (s !== undefined && (s.length < min || s.length > max)) e.push(`${at(p, k)}: expected ${min}-${max} characters, got ${s.length}`);
  };
  const label = (o: unknown, path: string) => {
    if (!SEVERITY_LABELS.has(isObj(o) ? o.Label : undefined)) e.push(`${path}.Label: expected one of ${[...SEVERITY_LABELS].join(', ')}, got ${JSON.stringify(isObj(o) ? o.Label : undefined)}`);
  };
  if (str(f, 'SchemaVersion') !== undefined && f.SchemaVersion !== '2018-10-08') e.push(`${p}.SchemaVersion: expected "2018-10-08", got ${JSON.stringify(f.SchemaVersion)}`);
  length('Id', 1, 512); length('GeneratorId', 1, 512); length('Title', 1, 256); length('Description', 1, 1024);
  const account = str(f, 'AwsAccountId');
  if (account !== undefined && !/^\d{12}$/.test(account)) e.push(`${p}.AwsAccountId: expected 12 digits, got ${JSON.stringify(account)}`);
  const arn = str(f, 'ProductArn');
  const m = arn === undefined ? undefined : PRODUCT_ARN.exec(arn);
  if (arn !== undefined && (!m || !REGION.test(m[2] ?? ''))) e.push(`${p}.ProductArn: expected arn:aws:securityhub:<region>:<account>:product/<company>/<product>, got ${JSON.stringify(arn)}`);
  // A company segment that is an account id marks the customer's own default product, which must be the finding's account.
  else if (m && /^\d{12}$/.test(m[4] ?? '') && /^\d{12}$/.test(account ?? '') && (m[3] !== account || m[4] !== account || m[5] !== 'default')) {
    e.push(`${p}.ProductArn: expected arn:aws:securityhub:${m[2]}:${account}:product/${account}/default, got ${JSON.stringify(arn)}`);
  }
  if (f.Types === undefined) e.push(`${p}.Types: required by ASFF (optional in the model)`);
  checkTypes(f.Types, `${p}.Types`, e);
  for (const k of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
    const s = str(f, k);
    if (s !== undefined && parseDateTime(s) === undefined) e.push(`${at(p, k)}: expected RFC 3339 date-time, got ${JSON.stringify(s)}`);
  }
  const [created, updated] = [parseDateTime(str(f, 'CreatedAt') ?? ''), parseDateTime(str(f, 'UpdatedAt') ?? '')];
  if (created !== undefined && updated !== undefined && updated < created) e.push(`${p}.UpdatedAt: must not be earlier than CreatedAt`);
  if (f.Severity === undefined) e.push(`${p}.Severity: required by ASFF (optional in the model)`);
  else label(f.Severity, `${p}.Severity`);
  if (Array.isArray(f.Resources)) {
    if (f.Resources.length < 1 || f.Resources.length > 32) e.push(`${p}.Resources: expected 1-32 resources, got ${f.Resources.length}`);
    f.Resources.forEach((r: unknown, i) => {
      const [type, id] = [str(r, 'Type'), str(r, 'Id')];
      if (type !== undefined && !SUPPORTED_RESOURCE_TYPES.has(type)) e.push(`${p}.Resources[${i}].Type: unsupported resource type ${JSON.stringify(type)}`);
      if (id !== undefined && (id.length < 1 || id.length > 512)) e.push(`${p}.Resources[${i}].Id: expected 1-512 characters, got ${id.length}`);
    });
  }
  // The model's documentation of AwsSecurityFinding.RelatedFindings: "Minimum number of 1 item. Maximum number of 10 items."
  if (Array.isArray(f.RelatedFindings)) {
    if (f.RelatedFindings.length < 1 || f.RelatedFindings.length > 10) e.push(`${p}.RelatedFindings: expected 1-10 related findings, got ${f.RelatedFindings.length}`);
    f.RelatedFindings.forEach((r: unknown, i) => {
      for (const k of ['ProductArn', 'Id']) {
        const v = str(r, k);
        if (v !== undefined && !/\S/.test(v)) e.push(`${p}.RelatedFindings[${i}].${k}: expected a non-blank string`);
      }
    });
  }
  if (isObj(f.ProductFields)) {
    const pairs = Object.entries(f.ProductFields);
    if (pairs.length > 50) e.push(`${p}.ProductFields: expected at most 50 pairs, got ${pairs.length}`);
    for (const [k, v] of pairs) {
      if (k.length > 128) e.push(`${at(`${p}.ProductFields`, k)}: key longer than 128 characters`);
      if (typeof v === 'string' && v.length > 2048) e.push(`${at(`${p}.ProductFields`, k)}: value longer than 2048 characters`);
    }
  }
  if (isObj(f.FindingProviderFields)) {
    checkTypes(f.FindingProviderFields.Types, `${p}.FindingProviderFields.Types`, e);
    if (f.FindingProviderFields.Severity !== undefined) label(f.FindingProviderFields.Severity, `${p}.FindingProviderFields.Severity`);
  }
  if (f.RecordState !== undefined && !RECORD_STATES.has(f.RecordState)) e.push(`${p}.RecordState: expected one of ${[...RECORD_STATES].join(', ')}, got ${JSON.stringify(f.RecordState)}`);
  const region = str(f, 'Region');
  if (region !== undefined && !REGION.test(region)) e.push(`${p}.Region: expected an AWS region, got ${JSON.stringify(region)}`);
  for (const k of CUSTOMER_OWNED) if (f[k] !== undefined) e.push(`${p}.${k}: belongs to the customer; a finding provider must not set it`);
  return e;
}

/** What Security Hub would accept from us as a finding provider: the model plus the documented ASFF rules. */
export function validateAsffFinding(finding: unknown): string[] {
  return [...validateShape(AwsSecurityFinding$, finding), ...asffFacts(finding, '$')];
}

const jsonBytes = (v: unknown): number => {
  try { return Buffer.byteLength(JSON.stringify(v) ?? ''); } catch { return 0; } // unserializable: validateShape says why
};

const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const MAX_FINDING_BYTES = 240 * 1024;

// Service-side limits per input shape, keyed `namespace#Name`; other clients' rules go here.
const REQUEST_RULES: Record<string, (input: Obj) => string[]> = {
  'com.amazonaws.securityhub#BatchImportFindingsRequest': (input) => {
    if (!Array.isArray(input.Findings)) return [];
    const e: string[] = [];
    if (input.Findings.length < 1 || input.Findings.length > 100) e.push(`$.Findings: expected 1-100 findings, got ${input.Findings.length}`);
    const total = jsonBytes(input);
    if (total > MAX_REQUEST_BYTES) e.push(`$: request is ${total} bytes of JSON, more than 6 MB`);
    input.Findings.forEach((f: unknown, i) => {
      const size = jsonBytes(f);
      if (size > MAX_FINDING_BYTES) e.push(`$.Findings[${i}]: finding is ${size} bytes of JSON, more than 240 KB`);
      e.push(...asffFacts(f, `$.Findings[${i}]`));
    });
    return e;
  },
};

/** Checks a command input (an input structure or its operation schema) plus the limits the service enforces. */
export function validateRequest(inputSchema: SchemaRef, input: unknown): string[] {
  let { schema } = resolve(inputSchema);
  if (Array.isArray(schema) && schema[0] === 9) schema = resolve(schema[4]).schema;
  const rule = Array.isArray(schema) ? REQUEST_RULES[`${String(schema[1])}#${String(schema[2])}`] : undefined;
  return [...validateShape(inputSchema, input), ...(rule && isObj(input) ? rule(input) : [])];
}
