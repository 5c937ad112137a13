import { status } from '@grpc/grpc-js';
import { expect } from 'vitest';
import { decodeRankRequest, type RankBatch } from '../../../src/rpc/rank-request.js';
import { isRequestError } from '../../../src/rpc/request-error.js';
import { decodeWith, packed } from '../../rpc/reference-proto.js';
import { type CallOutcome, expectRefusedWith } from './call-outcome.js';

/**
 * What the server must answer to RankRequest bytes. The decoder's verdict
 * (it runs in the pool thread; here in-process) decides between refusal and
 * reply: a refusal must reach the client with the decoder's own code and
 * message. A request it accepts must be served (api "rank") or refused for
 * its api — and an OK reply is then read with protobufjs, independently of
 * rankd's codecs, and checked against the request.
 *
 * (The request itself is not read with protobufjs: it misreads uint32
 * varints of 6 to 9 bytes, which protobuf parsers accept and rankd does.)
 */
export function expectRankAnswer(outcome: CallOutcome<Buffer>, bytes: Uint8Array, maxCandidates: number): 'served' | 'refused' {
  const what = `Rank ${Buffer.from(bytes).toString('hex').slice(0, 200)}`;
  let request: RankBatch;
  try {
    request = decodeRankRequest(bytes, { maxCandidates });
  } catch (e) {
    if (!isRequestError(e)) throw e;
    expectRefusedWith(outcome, what, e.code, e.message);
    return 'refused';
  }
  if (request.api === 'example') expectRefusedWith(outcome, what, status.UNIMPLEMENTED, 'api "example" takes Call, not Rank');
  else if (request.api !== 'rank') expectRefusedWith(outcome, what, status.NOT_FOUND, /^unknown api "/);
  else {
    if (!outcome.ok) throw new Error(`${what}: a valid request was refused: ${status[outcome.code]} ${outcome.details}`);
    expectConsistentReply(request, outcome.value);
    return 'served';
  }
  return 'refused';
}

/** An OK reply ranks the request's own candidates: no others, no more than asked, finite scores, the request id echoed. */
export function expectConsistentReply(request: RankBatch, replyBytes: Uint8Array): void {
  const reply = decodeWith(packed.RankResponse, replyBytes) as {
    items: { itemId: string; score: number }[];
    plan: string;
    requestId: string;
    algorithms: string[];
  };
  const offered = new Map<string, number>();
  for (const id of request.itemIds) offered.set(String(id), (offered.get(String(id)) ?? 0) + 1);
  for (const item of reply.items) {
    const left = offered.get(item.itemId) ?? 0;
    expect(left, `item ${item.itemId} was not a candidate (or came back more often than offered)`).toBeGreaterThan(0);
    offered.set(item.itemId, left - 1);
    expect(Number.isFinite(item.score), `score ${item.score} of item ${item.itemId}`).toBe(true);
  }
  if (request.topK > 0) expect(reply.items.length).toBeLessThanOrEqual(request.topK);
  expect(reply.plan).toMatch(/^(-[12]|[0-9])$/);
  expect(reply.algorithms.length).toBeGreaterThan(0);
  if (request.requestId !== '') expect(reply.requestId).toBe(request.requestId);
  else expect(reply.requestId).not.toBe('');
}
