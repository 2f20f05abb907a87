#!/usr/bin/env bash
# Screenshots of MLflow's web UI as a user sees Harness's runs, for the README (docs/figures/mlflow-*.png).
#   scripts/mlflow-screenshots.sh URL EXPERIMENT_NAME [OUT_DIR] [COMPARE_RUN]
# URL is an MLflow server that holds a `./harness run` (../shared/mlflow/mlflow-server.sh, then
# MLFLOW_TRACKING_URI=URL ./harness run --golden). Needs headless Chromium (apt-get install chromium) and Node >= 20.10.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 2 ]] || { echo "usage: $0 URL EXPERIMENT_NAME [OUT_DIR] [COMPARE_RUN]" >&2; exit 2; }
command -v chromium >/dev/null || { echo "needs chromium (apt-get install chromium)" >&2; exit 2; }
command -v node >/dev/null || { echo "needs Node.js 20.10 or later (apt-get install nodejs)" >&2; exit 2; }
mkdir -p "${3:-docs/figures}"
exec node --experimental-websocket "$here/mlflow-screenshots/shots.mjs" "$@"
