/**
 * Named predicates a detector file can ask for under `validate`: checks a regular expression cannot
 * say (a checksum, a decoded header, number ranges). Each takes the secret and is pure.
 */

/** A check of a candidate secret: false drops the candidate. */
export type SecretValidator = (secret: string) => boolean;

/** Payment card numbers: the Luhn (mod 10) checksum over the digits, separators ignored. */
export function luhn(secret: string): boolean {
  const digits = secret.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A JWT's first part decodes to a JSON object header naming its `alg`. Hand-edited tokens in code and
 * tests often break the JSON inside while keeping its shape, so a brace-delimited header with an
 * `"alg"` key is enough: random base64url never decodes to that.
 */
export function jwtHeader(secret: string): boolean {
  const header = secret.slice(0, secret.indexOf('.'));
  const text = Buffer.from(header, 'base64url').toString('latin1').trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string';
  } catch {
    return /"alg"\s*:/.test(text);
  }
}

/**
 * US social security numbers as the SSA issues them: area 001-899 but 666, group 01-99, serial
 * 0001-9999; minus the numbers the SSA lists as advertising samples and voided.
 */
export function usSsn(secret: string): boolean {
  const digits = secret.replace(/[ -]/g, '');
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  return !SAMPLE_SSNS.has(digits);
}
const SAMPLE_SSNS = new Set(['078051120', '219099999', '123456789']);

/**
 * Random tokens of 20-odd characters from [A-Za-z0-9] almost always mix letters and digits; words and
 * identifiers of the same length (`s.AcceptanceTimeoutSeconds`) do not.
 */
export function lettersAndDigits(secret: string): boolean {
  return /[0-9]/.test(secret) && /[A-Za-z]/.test(secret);
}

/** The validators by the name detector files use. */
export const VALIDATORS: Readonly<Record<string, SecretValidator>> = {
  luhn,
  'jwt-header': jwtHeader,
  'us-ssn': usSsn,
  'letters-and-digits': lettersAndDigits,
};
