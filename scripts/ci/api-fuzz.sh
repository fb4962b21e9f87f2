#!/usr/bin/env bash
# Property-based API tests with schemathesis (from PyPI) against a fresh embedded store's
# OpenAPI document: every operation, the phases that need no stateful links (examples,
# coverage, fuzzing), signed in as the admin. Fails on any 5xx, a response that breaks its
# schema, an undocumented status or content type, or a wrong answer to an unserved method.
#   npm run build && bash scripts/ci/api-fuzz.sh       (MAX_EXAMPLES, SEED to tune)
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
VENV=.data/venv/schemathesis-$SCHEMATHESIS_VERSION
PORT=${API_FUZZ_PORT:-3990}
BASE=http://127.0.0.1:$PORT
ADMIN_PASSWORD="api-fuzz-$(node -e 'process.stdout.write(require("crypto").randomBytes(12).toString("hex"))')"

if [ ! -x "$VENV/bin/st" ]; then
  echo "api-fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -f dist/apps/store/src/main.js ] || { echo "api-fuzz: run 'npm run build' first" >&2; exit 1; }

data=$(mktemp -d)
mkdir -p .data/logs
log=.data/logs/api-fuzz-store.log
PORT=$PORT HOST=127.0.0.1 MERCATO_STORAGE=memory MERCATO_DATA_DIR="$data" \
  MERCATO_SEED_PRODUCTS=300 MERCATO_ADMIN_PASSWORD="$ADMIN_PASSWORD" LOG_LEVEL=warn \
  node dist/apps/store/src/main.js >"$log" 2>&1 &
store=$!
# The store's own exit status (143 when SIGTERM ends it before its shutdown hook runs) must not
# become this script's: only schemathesis decides.
trap 'kill $store 2>/dev/null; wait $store 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 60); do
  curl -sf "$BASE/health/ready" >/dev/null && break
  kill -0 $store 2>/dev/null || { echo "api-fuzz: the store exited; see $log" >&2; exit 1; }
  sleep 1
done
token=$(curl -sf -XPOST "$BASE/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"admin@mercato.local\",\"password\":\"$ADMIN_PASSWORD\"}" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).accessToken))')

# schemathesis closes with pytest-style banners ("===== 2 warnings in 33s ====="); CI log
# readers take such a line for a pytest run that executed no test, so the banners are rewritten.
set +e
"$VENV/bin/st" run "$BASE/docs-json" \
  --header "Authorization: Bearer $token" \
  --phases examples,coverage,fuzzing \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method,allow_header_conformance,missing_required_header \
  --max-examples "${MAX_EXAMPLES:-50}" \
  --seed "${SEED:-$RANDOM}" \
  --workers 2 \
  --no-color \
  --generation-database .data/api-fuzz/examples \
  --report junit --report-dir .data/api-fuzz 2>&1 | sed -E 's/^=+ (.*[^= ]) =+$/-- \1 --/'
status=${PIPESTATUS[0]}
set -e
echo "api-fuzz: schemathesis exited with $status"
exit "$status"
