#!/usr/bin/env bash
# Installs Node.js 24 LTS, the runtime of record, from the npm registry (the node-<os>-<arch>
# packages ship the official binaries) into .data/node24, once, and prints its bin folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
major=${NODE_OF_RECORD:-24}
package="node-$(node -p process.platform)-$(node -p process.arch)"
prefix=.data/node$major
bin="$PWD/$prefix/node_modules/$package/bin"
if [ ! -x "$bin/node" ] || [[ "$("$bin/node" --version)" != v$major.* ]]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$package@$major" >&2
fi
echo "$bin"
