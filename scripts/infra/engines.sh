#!/usr/bin/env bash
# Engine harness for integration tests and `npm run stack`: Kafka (KRaft), Redis, dynalite and
# OpenSearch on 127.0.0.1, logs in .data/logs, endpoints in .data/engines/endpoints.env.
#   bash scripts/infra/engines.sh start|stop|status [kafka|redis|dynamodb|opensearch ...]
# Ports: KAFKA_PORT (19092), REDIS_PORT (16379), DYNAMODB_PORT (18000), OPENSEARCH_PORT (19200).
# Versions: KAFKA_VERSION (4.1.1), OPENSEARCH_VERSION (2.19.6). MERCATO_ENGINES_MODE=auto|local|docker.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d node_modules/@swc/core ]; then
  echo "[engines] node_modules is missing: run npm ci first" >&2
  exit 1
fi
exec node scripts/infra/run-ts.js scripts/infra/engines.cli.ts "$@"
