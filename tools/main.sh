#!/usr/bin/env bash
# The main job: install into .venv (torch first), prepare tiny shakespeare, train the small GPT preset on it,
# save plots and checkpoints under checkpoints/shakespeare/, and print generated text.
# Extra arguments are dotted config overrides, e.g. `bash tools/main.sh training.max_steps=200`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=${VENV:-.venv}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}   # a CUDA box gets the CUDA build of the same release from PyPI
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
. "$VENV/bin/activate"
python -c "import torch" 2>/dev/null || pip install -q "$TORCH_SPEC"
pip install -q -e . 2>&1 | grep -v -E "^WARNING: Location|is ignored" || true
if [ -z "${LLM_E2E_DATA_DIR:-}" ] && [ -d ../shared/data ]; then export LLM_E2E_DATA_DIR=$(cd ../shared/data && pwd); fi
export WANDB_MODE=${WANDB_MODE:-disabled} MPLBACKEND=${MPLBACKEND:-Agg}
exec llm-e2e train configs/shakespeare.yaml "$@"
