/**
 * Field numbers of rankd.proto (package rankd.v1) for the hand-written codecs.
 * Keep in step with the .proto; the tests check both against protobufjs.
 */

export const RankRequestField = {
  Api: 1,
  UserId: 2,
  UserFeatureIds: 3,
  UserFeatureValues: 4,
  Candidates: 5,
  TopK: 6,
  RequestId: 7,
  WantTimings: 8,
  Explain: 9,
} as const;

export const CandidateField = {
  ItemId: 1,
  FeatureIds: 2,
  FeatureValues: 3,
} as const;

export const RankResponseField = {
  Items: 1,
  Plan: 2,
  Generation: 3,
  Timings: 4,
  RequestId: 5,
  Algorithms: 6,
} as const;

export const ScoredItemField = {
  ItemId: 1,
  Score: 2,
  AlgorithmScores: 3,
} as const;

export const StageTimingField = {
  Stage: 1,
  Ms: 2,
} as const;

/** CallRequest and CallResponse both carry their JSON text in field 1. */
export const CallField = {
  Json: 1,
} as const;
