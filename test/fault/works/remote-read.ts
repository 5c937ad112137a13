/**
 * Reads keys from one remote source and says how long the read took. With
 * "report": true a failed read is answered as {error, code, ms}; otherwise
 * the failure fails the call, as it would in a real work.
 *
 *   {"api": "remote_read", "source": "feats", "keys": ["1", "2"], "report": true}
 */
import type { Work } from '../../../src/pool/work.js';

const remoteRead: Work = {
  async call(body, ctx) {
    const source = String(body.source);
    const keys = (body.keys as unknown[]).map(String);
    const started = performance.now();
    try {
      const values = await ctx.remote[source]!.mget(keys);
      return { values, ms: performance.now() - started };
    } catch (e) {
      if (body.report !== true) throw e;
      return { error: (e as Error).message, code: (e as { code?: number }).code, ms: performance.now() - started };
    }
  },
};

export default remoteRead;
