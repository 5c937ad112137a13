import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { anyBody, nearJson, notAnObject, rankBody } from './call-bodies.js';
import { BAD_REQUEST_DEADLINE_MS, type CallOutcome, expectRefusedWith, settle } from './call-outcome.js';
import { expectCallAnswer } from './call-verdict.js';
import { mutatedRequest, randomBytes, refusedRankRequest } from './rank-mutations.js';
import { expectRankAnswer } from './rank-verdict.js';
import type { ServerUnderTest } from './reference-requests.js';

/**
 * One request of any kind the fuzz tests send, with how its answer is
 * checked: Rank bytes refused as they must be, random or mutated Rank
 * bytes judged by the decoder's verdict, Call text judged by the JSON
 * oracle, and now and then a message over max_message_bytes.
 */
export interface FuzzRequest {
  what: string;
  send(server: ServerUnderTest): Promise<CallOutcome<unknown>>;
  check(outcome: CallOutcome<unknown>): void;
}

const rankBytes = (server: ServerUnderTest, bytes: Uint8Array) => settle(server.rank.rankBytes(bytes, BAD_REQUEST_DEADLINE_MS));

/** A FuzzRequest that counterexamples print as what it is. */
export function fuzzRequestOf(what: string, send: FuzzRequest['send'], check: FuzzRequest['check']): FuzzRequest {
  return { what, send, check, [fc.toStringMethod]: () => what } as FuzzRequest;
}

function judgedRank(bytes: Uint8Array, maxCandidates: number): FuzzRequest {
  return fuzzRequestOf(
    `Rank ${Buffer.from(bytes).toString('hex').slice(0, 120)}`,
    (server) => rankBytes(server, bytes),
    (outcome) => void expectRankAnswer(outcome as CallOutcome<Buffer>, bytes, maxCandidates),
  );
}

function judgedCall(text: string): FuzzRequest {
  return fuzzRequestOf(
    `Call ${JSON.stringify(text).slice(0, 120)}`,
    (server) => settle(server.rank.call(text, BAD_REQUEST_DEADLINE_MS)),
    (outcome) => void expectCallAnswer(outcome, text),
  );
}

/** Bytes just over the message limit: refused by gRPC before any thread sees them. */
function oversized(maxMessageBytes: number): FuzzRequest {
  const bytes = Buffer.alloc(maxMessageBytes + 1);
  bytes[0] = 0x0a;
  return fuzzRequestOf(
    `a Rank request of ${bytes.length} bytes`,
    (server) => rankBytes(server, bytes),
    (outcome) => expectRefusedWith(outcome, 'oversized', status.RESOURCE_EXHAUSTED, /larger than max/),
  );
}

export function fuzzRequest(limits: { maxCandidates: number; maxMessageBytes: number }): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: refusedRankRequest(limits.maxCandidates).map((r) =>
        fuzzRequestOf(
          `Rank with ${r.what} (${Buffer.from(r.bytes).toString('hex').slice(0, 120)})`,
          (server) => rankBytes(server, r.bytes),
          (outcome) => expectRefusedWith(outcome, r.what, r.code, r.message),
        ),
      ),
    },
    { weight: 2, arbitrary: fc.oneof(randomBytes, mutatedRequest).map((b) => judgedRank(b, limits.maxCandidates)) },
    { weight: 4, arbitrary: fc.oneof(notAnObject, nearJson(anyBody), nearJson(rankBody), rankBody).map(judgedCall) },
    { weight: 1, arbitrary: fc.constant(limits.maxMessageBytes).map(oversized) },
  );
}
