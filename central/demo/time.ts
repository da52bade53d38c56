/** Time formats CloudTrail uses: ISO seconds for eventTime, Java's medium format inside responses. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Milliseconds in an hour. */
export const HOUR = 3_600_000;
/** Milliseconds in a minute. */
export const MINUTE = 60_000;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = NaN;
let cachedDayPrefix = '';

/**
 * `2026-11-09T14:03:22Z`: eventTime has whole seconds. Formatted by hand with the date part cached:
 * Date#toISOString was the single most expensive call when generating a million records.
 */
export function isoSeconds(t: number): string {
  const day = Math.floor(t / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const s = Math.floor((t - day * 86_400_000) / 1000);
  return `${cachedDayPrefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
}

/**
 * `Nov 9, 2026, 2:03:22 PM` (STS credential expiry) or, without the second comma,
 * `Nov 9, 2026 2:03:22 PM` (IAM createDate): services serialize dates with Java's medium format.
 */
export function javaDate(t: number, commaAfterYear = true): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}${commaAfterYear ? ',' : ''}`;
  return `${day} ${hour12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The `YYYY`, `MM`, `DD` folders and `YYYYMMDDTHHmmZ` stamp of a delivery time. */
export function deliveryStamp(t: number): { yyyy: string; mm: string; dd: string; stamp: string } {
  const iso = new Date(t).toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return { yyyy, mm, dd, stamp: `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z` };
}
