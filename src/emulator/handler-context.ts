// What every operation handler receives besides its Exchange: the stores and the resolved limits.
import type { Exchange } from './exchange.js';
import type { ObjectStore } from './store.js';
import type { UploadStore } from './upload-store.js';

/** Shared state of one running emulator. */
export interface EmulatorState {
  objects: ObjectStore;
  uploads: UploadStore;
  region: string;
  /** Smallest non-last part accepted at CompleteMultipartUpload. */
  minPartSizeBytes: number;
  /** Largest PutObject / UploadPart body. */
  maxPutBytes: number;
  /** Total bytes the store may hold (objects + parts). */
  maxStoreBytes: number;
}

/** An operation handler: reads the exchange, answers it, or throws `OssError`. */
export type Handler = (ex: Exchange, state: EmulatorState) => Promise<void>;
