#!/usr/bin/env bash
# Regenerates the outputs committed with the notebooks: runs each notebook top to bottom in a plain Jupyter kernel
# (`jupyter nbconvert --execute`, which ignores nbdev's test flags: heavy cells decide at run time and print one line
# when they skip), takes machine paths out of the outputs, then runs nbdev_clean. Prints the time per notebook.
#   bash tools/run_notebooks.sh                      # every notebook in nbs/
#   bash tools/run_notebooks.sh nbs/02_model.ipynb   # just these
#   LLM_E2E_SLOW=1 bash tools/run_notebooks.sh ...   # also the slow work
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
[ -x "${VENV:-$ROOT/.venv}/bin/python" ] && . "${VENV:-$ROOT/.venv}/bin/activate"
if [ -z "${LLM_E2E_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then export LLM_E2E_DATA_DIR=$(cd "$ROOT/../shared/data" && pwd); fi
SCRATCH=$(mktemp -d)                                # HOME and TMPDIR of the kernels, removed at exit
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"
export HOME=$SCRATCH/home TMPDIR=$SCRATCH/tmp HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 WANDB_MODE=offline TOKENIZERS_PARALLELISM=false
export HF_HOME=$HOME/hf TIKTOKEN_CACHE_DIR=$HOME/tiktoken TQDM_DISABLE=1 PYTHONHASHSEED=0 PYDEVD_DISABLE_FILE_VALIDATION=1
unset MPLBACKEND   # the kernel's inline backend draws the figures into the notebook
if [ $# -gt 0 ]; then nbs=("$@"); else nbs=(nbs/*.ipynb); fi
status=0
for nb in "${nbs[@]}"; do
  t0=$(date +%s)
  if jupyter nbconvert --to notebook --execute --inplace --log-level=WARN \
       --ExecutePreprocessor.timeout=1800 --ExecutePreprocessor.kernel_name=python3 "$nb"; then
    echo "ran $nb in $(( $(date +%s) - t0 )) s"
  else
    echo "FAILED $nb after $(( $(date +%s) - t0 )) s"; status=1
  fi
done
python tools/scrub_outputs.py "${nbs[@]}"
for nb in "${nbs[@]}"; do nbdev_clean --fname "$nb"; done
exit $status
