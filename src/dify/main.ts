// The bundle entry the package's main.py execs. Start-up is kept short: in stdio mode the first heartbeat
// (which marks the instance ready, dify-protocol.md §2.2) goes out before anything heavy is loaded, and
// keeps its period while the rest loads; the daemon's requests wait in the stdin pipe until the runtime
// reads them. The rest loads through a dynamic import, which esbuild keeps lazy inside the one-file bundle.
import '../config/wasm-tiering.js';
import { encodeHeartbeat } from './protocol.js';

/** `HEARTBEAT_INTERVAL` in seconds, as the Python SDK reads it (default 10, dify_plugin `config.py`). */
function heartbeatFromEnv(value: string | undefined): number {
  const seconds = Number(value);
  return value && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 10_000;
}

const method = (process.env.INSTALL_METHOD ?? 'local').trim().toLowerCase();
const local = method === 'local' || method === '';
const heartbeatIntervalMs = heartbeatFromEnv(process.env.HEARTBEAT_INTERVAL);
let loading: NodeJS.Timeout | undefined;
if (local) {
  const beat = (): boolean => process.stdout.write(encodeHeartbeat());
  beat();
  loading = setInterval(beat, heartbeatIntervalMs);
}
const { runPlugin } = await import('./plugin-main.js');
// The runtime beats from here on, a full period after its start, so no two beats come closer than that.
clearInterval(loading);
const code = await runPlugin({ method, heartbeatSent: local, heartbeatIntervalMs });
// Flush stdout before leaving: undici keep-alive sockets would otherwise hold the process open.
process.stdout.write('', () => process.exit(code));
