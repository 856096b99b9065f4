// A process-wide V8 setting for our entry points (the Dify bundle, the CLI): compile WebAssembly with
// Liftoff only. undici parses HTTP with llhttp compiled to WebAssembly, and V8's optimizing tier-up of its
// large state machine costs a transient ~35 MiB of compiler memory that stays in peak RSS. Measured on
// Node 20 uploading 512 MiB with OssClient (8 MiB x 4): peak RSS 138 -> 105 MiB, throughput and our
// CRC-64 module (~1 GB/s) unchanged. Libraries never change V8 flags; only entry points import this.
// Node 24 does not honour the flag set at run time (the plugin's baseline stayed at 110 MiB against 88 MiB
// with `node --liftoff-only`), so packaging/main.py, which launches the packaged plugin, passes it too.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
