// Programmatic fault injection for tests: rules matched per request by operation, method and key,
// each firing a bounded number of times. Applying the actions is left to exchange.ts.

/** Operation names the emulator routes to (also used in the request log). */
export type OpName =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CopyObject'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'GetBucketInfo'
  | 'GetBucketAcl'
  | 'GetBucketLocation'
  | 'GetObjectAcl'
  | 'ListBuckets'
  | 'Unknown';

/**
 * What a matched rule does:
 * - `status`: answer with this HTTP status and OSS error code (XML body; HEAD gets `x-oss-err`), without running the op.
 * - `reset`: destroy the socket after `afterBytes` bytes of the request body (requests with a body)
 *   or of the response body (others).
 * - `delay`: wait `ms` before the response headers (`phase: 'headers'`, default) or in the middle of the body.
 * - `skew`: shift the server clock by `ms` for this request (signature checks and the `Date` header).
 * - `corruptCrc` / `dropCrc`: alter or remove `x-oss-hash-crc64ecma` in the response.
 * - `dropResponseAfterWrite`: run the op (data is stored), then destroy the socket instead of answering.
 * - `bandwidth`: cap request-body reading and response-body writing at `bytesPerSecond`.
 */
export type FaultAction =
  | { type: 'status'; status: number; code: string; message?: string }
  | { type: 'reset'; afterBytes: number }
  | { type: 'delay'; ms: number; phase?: 'headers' | 'body' }
  | { type: 'skew'; ms: number }
  | { type: 'corruptCrc' }
  | { type: 'dropCrc' }
  | { type: 'dropResponseAfterWrite' }
  | { type: 'bandwidth'; bytesPerSecond: number };

/** A fault rule. Unset matchers match everything; `times` defaults to 1 and may be `Infinity`. */
export interface FaultRule {
  op?: OpName;
  method?: string;
  key?: string | RegExp;
  times?: number;
  action: FaultAction;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** The fault rules of one emulator. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  /** Adds a rule; throws `TypeError` on a malformed one (e.g. negative times). */
  add(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times >= 1)) throw new TypeError('faults.add: times must be >= 1');
    if (rule.action.type === 'bandwidth' && !(rule.action.bytesPerSecond > 0)) {
      throw new TypeError('faults.add: bandwidth bytesPerSecond must be > 0');
    }
    this.rules.push({ rule, remaining: times });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** Number of rules that can still fire. */
  get pending(): number {
    return this.rules.length;
  }

  /**
   * The actions of every rule matching this request, in the order added; each match uses up one of
   * its rule's `times`.
   */
  take(request: { op: OpName; method: string; key: string | undefined }): FaultAction[] {
    const actions: FaultAction[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.op !== undefined && rule.op !== request.op) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
      if (rule.key !== undefined) {
        if (request.key === undefined) continue;
        if (typeof rule.key === 'string' ? rule.key !== request.key : !rule.key.test(request.key)) continue;
      }
      actions.push(rule.action);
      active.remaining -= 1;
    }
    this.rules = this.rules.filter((active) => active.remaining > 0);
    return actions;
  }
}
