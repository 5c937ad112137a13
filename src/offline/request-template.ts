import { existsSync, readFileSync } from 'node:fs';

/**
 * A Call body with `{key}` where each input key goes, e.g.
 * `{"api":"rank","uid":"{key}"}`. Given inline (JSON text) or as a file path.
 * The key is JSON-escaped, so any key makes a valid body inside quotes.
 */
export class RequestTemplate {
  private readonly parts: string[];

  constructor(readonly text: string) {
    this.parts = text.split('{key}');
    if (this.parts.length < 2) throw new Error('malformed template: it has no {key} placeholder');
    let sample: unknown;
    try {
      sample = JSON.parse(this.fill('1'));
    } catch (e) {
      throw new Error(`malformed template: not JSON once {key} is filled in (${(e as Error).message})`);
    }
    if (typeof sample !== 'object' || sample === null || typeof (sample as { api?: unknown }).api !== 'string') {
      throw new Error('malformed template: it must be a JSON object with an "api" field');
    }
  }

  static from(arg: string): RequestTemplate {
    const inline = arg.trimStart().startsWith('{');
    if (!inline && !existsSync(arg)) throw new Error(`template file not found: ${arg}`);
    return new RequestTemplate(inline ? arg : readFileSync(arg, 'utf8').trim());
  }

  fill(key: string): string {
    return this.parts.join(JSON.stringify(key).slice(1, -1));
  }
}
