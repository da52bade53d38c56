/**
 * The Slack incoming-webhook URL, read from Secrets Manager once per container. The stack creates the
 * secret with a generated placeholder until an operator pastes the URL, so anything that is not an
 * https URL (plain http only on loopback, for local receivers) means "Slack not configured": said
 * once in the log, never with the value, and looked at again every few minutes so setting the secret
 * takes effect without a redeploy.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../../core/ports.js';
import { log } from '../lambda/log.js';

/** Where the Slack channel gets its URL. */
export interface WebhookSource {
  /** The webhook URL, or undefined when Slack is not configured. */
  url(): Promise<string | undefined>;
  /** Drops the cached URL (Slack said it is gone), so the next call reads the secret again. */
  forget(): void;
}

/** The secret-backed source's wiring. */
export interface SecretWebhookOptions {
  readonly client: SecretsManagerClient;
  readonly secretArn: string;
  readonly clock: Clock;
  /** How long "not configured" is believed before the secret is read again. @default 5 minutes */
  readonly recheckMs?: number;
}

const DEFAULT_RECHECK_MS = 5 * 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The webhook URL from Secrets Manager, cached. */
export class SecretWebhook implements WebhookSource {
  private cached: { url: string | undefined; until: number } | undefined;
  private saidUnconfigured = false;

  constructor(private readonly options: SecretWebhookOptions) {}

  async url(): Promise<string | undefined> {
    const now = this.options.clock.now().getTime();
    if (this.cached && (this.cached.url !== undefined || now < this.cached.until)) return this.cached.url;
    const out = await this.options.client.send(new GetSecretValueCommand({ SecretId: this.options.secretArn }));
    const url = webhookUrlOf(out.SecretString);
    this.cached = { url, until: now + (this.options.recheckMs ?? DEFAULT_RECHECK_MS) };
    if (url === undefined && !this.saidUnconfigured) log.warn('slack webhook not configured', { secretArn: this.options.secretArn });
    else if (url !== undefined && this.saidUnconfigured) log.info('slack webhook configured', { secretArn: this.options.secretArn });
    this.saidUnconfigured = url === undefined;
    return url;
  }

  forget(): void {
    this.cached = undefined;
  }
}

/** The URL a secret value holds, or undefined for a placeholder, an empty value or anything else. */
export function webhookUrlOf(secret: string | undefined): string | undefined {
  const text = secret?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return text;
  return undefined;
}
