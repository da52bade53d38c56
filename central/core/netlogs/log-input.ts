/**
 * What the network-log decoders share: the delivery a file came with, the shape of their result, and
 * turning an input's bytes into text (gunzip within the limit, corrupt gzip reported, what was
 * recovered still read) the way `decode/log-object.ts` does for trail files.
 */
import { gunzipTolerant, isGzip } from '../decode/gunzip.js';
import type { InputProblem } from '../decode/input-problem.js';
import { DEFAULT_INPUT_LIMITS } from '../decode/limits.js';

/**
 * What the delivery says about a file, from its S3 key (`AWSLogs/ACCOUNT/.../REGION/`). A loose
 * local file or a Firehose object knows neither, and the records' own fields must say.
 */
export interface DeliveryOrigin {
  readonly account?: string;
  readonly region?: string;
}

/** What one network log file yielded: its records and what could not be used. */
export interface DecodedNetworkLog<R> {
  readonly records: R[];
  readonly problems: InputProblem[];
}

/** How to read an input's bytes; every field is optional. */
export interface LogTextOptions {
  /** The most bytes of text the input may decode to; default `DEFAULT_INPUT_LIMITS.maxTextBytes`. */
  readonly maxTextBytes?: number;
}

/**
 * The text of one input, or undefined when nothing of it can be read; problems go to `problems`.
 * Gzip is recognised by its magic bytes, not its name: a `.gz` file that is plain text is read as text.
 */
export async function readLogText(name: string, bytes: Uint8Array, problems: InputProblem[], options: LogTextOptions = {}): Promise<string | undefined> {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_INPUT_LIMITS.maxTextBytes;
  const fail = (reason: string, level: 'error' | 'notice' = 'error'): undefined => {
    problems.push({ input: name, reason, level });
    return undefined;
  };
  if (bytes.length === 0) return fail('empty file (0 bytes), nothing to read', 'notice');
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isGzip(bytes)) {
    const unzipped = await gunzipTolerant(bytes, maxTextBytes);
    if (unzipped.exceeded) return fail(`decompresses to more than the limit of ${maxTextBytes} bytes; not read`);
    if (unzipped.error) fail(`corrupt gzip (${unzipped.error}); reading the ${unzipped.data.length} bytes recovered`);
    if (unzipped.error && unzipped.data.length === 0) return undefined;
    data = unzipped.data;
  } else if (data.length > maxTextBytes) {
    return fail(`text of ${data.length} bytes is over the limit of ${maxTextBytes} bytes; not read`);
  }
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The notice for a file that holds no line to read, so nobody wonders where it went. */
export const NO_CONTENT = 'no content after decompression';

/** How many line problems one file lists before the rest are only counted. */
export const MAX_LISTED_LINE_PROBLEMS = 100;

/**
 * The problems of one file. A file in a format nobody told us about can have a million bad lines;
 * listing each would cost more than the file, so after the first hundred they are counted in one.
 */
export class FileProblems {
  /** The problems so far; `finish()` adds the count of those not listed. */
  readonly list: InputProblem[] = [];
  private listedLines = 0;
  private unlisted = 0;

  constructor(private readonly input: string) {}

  /** A problem with one line. */
  line(line: number, reason: string): void {
    if (this.listedLines >= MAX_LISTED_LINE_PROBLEMS) {
      this.unlisted++;
      return;
    }
    this.listedLines++;
    this.list.push({ input: this.input, line, reason, level: 'error' });
  }

  /** A problem with the file as a whole. */
  file(reason: string, level: 'error' | 'notice' = 'error'): void {
    this.list.push({ input: this.input, reason, level });
  }

  /** The problems, with one summing up the lines not listed. */
  finish(): InputProblem[] {
    if (this.unlisted > 0) this.file(`${this.unlisted} more lines rejected; only the first ${MAX_LISTED_LINE_PROBLEMS} are listed`);
    return this.list;
  }
}
