#!/usr/bin/env bash
# Runs every test of llm_e2e: installs the dev requirements into .venv, checks that the package and the
# notebooks agree (nbdev_export), that the notebooks are clean (nbdev_clean), the README, the code style, the
# notebooks as documents (show_doc, outputs, import cells) and the docs pre-processing, runs nbdev_test, and ends
# with the line "N passed, N failed" (each check and each notebook counts as one test).
# Extra arguments go to nbdev_test, e.g. `bash tools/test.sh --flags slow` or `--path nbs/02_model.ipynb`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV=${VENV:-$ROOT/.venv}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}

# --- install (torch first, then the package with its dev and jax extras: 08_jax needs JAX) ---
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || { echo "could not create $VENV"; echo "0 passed, 1 failed"; exit 1; }
. "$VENV/bin/activate"
t0=$(date +%s)
python -c "import torch" 2>/dev/null || pip install -q "$TORCH_SPEC" 2>&1 | grep -v -E "^WARNING: Location|is ignored" || true
python -c "import torch" || { echo "torch install failed ($TORCH_SPEC)"; echo "0 passed, 1 failed"; exit 1; }
pip install -q -e ".[dev,jax]" 2>&1 | grep -v -E "^WARNING: Location|is ignored" || true
python -c "import llm_e2e, nbdev, torch" || { echo "install failed"; echo "0 passed, 1 failed"; exit 1; }
python -c "import jax, flax.nnx, optax, orbax.checkpoint" || {
  echo "install failed: the [jax] extra (jax, flax, optax, orbax-checkpoint; settings.ini jax_requirements)"
  echo "0 passed, 1 failed"; exit 1; }
echo "install: $(( $(date +%s) - t0 )) s"

# --- test environment: no network, temporary HOME and TMPDIR (removed at exit), data from ../shared/data unless set ---
if [ -z "${LLM_E2E_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then export LLM_E2E_DATA_DIR=$(cd "$ROOT/../shared/data" && pwd); fi
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/home" "$SCRATCH/tmp"
# the notebooks write up to about 3.2 GB of checkpoints at once (2 workers); a full disk fails them half-way
free_mb=$(df -Pm "$SCRATCH" | awk 'NR==2 {print $4}')
echo "scratch: $SCRATCH, ${free_mb} MB free"
[ "${free_mb:-0}" -ge 4096 ] || echo "WARNING: under 4 GB free for the test runs' checkpoints: tests may fail with 'No space left'"
export HOME=$SCRATCH/home TMPDIR=$SCRATCH/tmp HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 WANDB_MODE=offline MPLBACKEND=Agg TOKENIZERS_PARALLELISM=false
export HF_HOME=$HOME/hf TIKTOKEN_CACHE_DIR=$HOME/tiktoken
passed=0; failed=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then echo "PASS $name"; passed=$((passed+1)); else echo "FAIL $name"; failed=$((failed+1)); fi
}

in_git() { git rev-parse --is-inside-work-tree >/dev/null 2>&1; }
export_in_sync() {
  nbdev_export || return 1
  python tools/check_modules.py || return 1
  if in_git && [ -n "$(git status --porcelain -- llm_e2e)" ]; then
    echo "nbdev_export changed the package: run nbdev_export and commit llm_e2e/"; git status --porcelain -- llm_e2e; return 1; fi
}
notebooks_clean() {
  nbdev_clean || return 1
  if in_git && [ -n "$(git status --porcelain -- nbs)" ]; then
    echo "nbdev_clean changed notebooks: run nbdev_clean and commit nbs/"; git status --porcelain -- nbs; return 1; fi
}
readme_in_sync() { python tools/make_readme.py --check; }
no_machine_paths() {   # absolute paths of one machine (a home, a checkout, a temporary folder) in tracked files
  in_git || return 0
  local hits; hits=$(git grep -nE "/(work|root)/|/home/[a-z]|/tmp/tmp" -- . ':!tools/test.sh' | cut -c1-160)
  [ -z "$hits" ] || { echo "machine paths in tracked files:"; echo "$hits"; return 1; }
}
check "nbdev_export: package matches notebooks" export_in_sync
check "nbdev_clean: notebooks are clean" notebooks_clean
check "README.md generated from nbs/index.ipynb" readme_in_sync
check "style: lines <= 120, no ';' statements, functions <= 60 lines" python tools/check_style.py
check "notebooks: import cells, show_doc, committed outputs" python tools/check_notebooks.py
check "no machine paths in the repository" no_machine_paths
check "docs pre-processing (nbdev_proc_nbs) of every notebook" python tools/proc_nb.py

# --- the notebooks: nbdev_test, one test per notebook ---
log=$SCRATCH/nbdev_test.log
t0=$(date +%s)
nbdev_test --do_print --timing --n_workers "${N_WORKERS:-2}" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
echo "nbdev_test: $(( $(date +%s) - t0 )) s, exit code $rc"
echo "left in TMPDIR by the notebooks: $(du -sm "$TMPDIR" | cut -f1) MB (each notebook removes its own runs)"
read np nf < <(python tools/count_nbdev_test.py "$log" "$rc")
passed=$((passed+np)); failed=$((failed+nf))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
