// The node flags every benchmark gives the processes it measures, as the product's launchers run them:
// `--liftoff-only` (src/config/wasm-tiering.ts, packaging/main.py), which keeps V8's tier-up of undici's
// llhttp Wasm out of peak RSS. BENCH_NODE_FLAGS replaces them; `BENCH_NODE_FLAGS=` measures V8's defaults.

/** Flags for a measured child process, before its script. */
export const MEASURED_NODE_FLAGS: readonly string[] = (process.env.BENCH_NODE_FLAGS ?? '--liftoff-only')
  .split(' ')
  .filter(Boolean);
