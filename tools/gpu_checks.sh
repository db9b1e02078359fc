#!/usr/bin/env bash
# All GPU checks in one prepared run (repo root, a CUDA machine): GPT-2 124M training throughput / MFU, the GPU
# generation checks and eager/compiled fwd+bwd throughput, and the `gpu`-flagged cells of 02_model.
# Needs torch, numpy, tiktoken, pyyaml, and for 02_model's import cells matplotlib and pandas; pure-python extras
# (fastcore, datasets) may sit in ./gpu_site.
# The parts add up to more than one device call (10 min): choose them with ONLY, e.g. ONLY="levers 124m".
set -uo pipefail
want() { [[ " ${ONLY:-124m train cells memory sparse levers} " == *" $1 "* ]]; }
OUT=${OUT:-/tmp/gpu_out}; mkdir -p "$OUT"
export PYTHONPATH=$PWD:$PWD/gpu_site WANDB_MODE=disabled LLM_E2E_DATA_DIR=$PWD/data MPLBACKEND=Agg
nvidia-smi -L; python3 -c "import torch; print(torch.__version__, torch.cuda.get_device_name(0))"
want 124m && timeout ${T1:-180} python3 benchmarks/bench_gpu_124m.py --micro-batch 32 --steps 15 --full-steps 1 > "$OUT/bench_gpu_124m.txt" 2>&1; echo "bench_gpu_124m rc=$?"
tail -25 "$OUT/bench_gpu_124m.txt"
want train && timeout ${T2:-100} python3 benchmarks/bench_gpu_train.py > "$OUT/bench_gpu_train.txt" 2>&1; echo "bench_gpu_train rc=$?"
tail -15 "$OUT/bench_gpu_train.txt"
# 02's show_doc cells need nbdev and the source of the notebook's functions, which run_notebook.py's exec does not
# keep: a no-op show_doc, first on the path, stands in (docs are not what this run checks)
STUB=$(mktemp -d); mkdir -p "$STUB/nbdev"; : > "$STUB/nbdev/__init__.py"; echo "def show_doc(*a, **k): pass" > "$STUB/nbdev/showdoc.py"
python3 -c "import matplotlib, pandas" 2>/dev/null || echo "gpu cells: matplotlib or pandas is missing (02 imports them)"
want cells && PYTHONPATH=$STUB:$PYTHONPATH timeout ${T3:-80} python3 tools/run_notebook.py nbs/02_model.ipynb --flags gpu > "$OUT/gpu_cells.txt" 2>&1; echo "gpu cells rc=$?"
tail -15 "$OUT/gpu_cells.txt"
# memory plan against measured peak memory (124M, medium with and without activation checkpointing, a few XL steps
# with tok/s and MFU); the plan should land within 15% of the measured peak for at least two cases
want memory && timeout ${T4:-300} python3 benchmarks/bench_memory.py > "$OUT/bench_memory.txt" 2>&1; echo "bench_memory rc=$?"
tail -8 "$OUT/bench_memory.txt"
# sparse attention (issue 12): forward + backward time and peak memory at T = 1k, 4k, 8k, FlexAttention patterns
# against full (flash) attention
want sparse && timeout ${T5:-240} python3 benchmarks/bench_sparse_attention.py > "$OUT/bench_sparse_attention.txt" 2>&1; echo "bench_sparse_attention rc=$?"
tail -12 "$OUT/bench_sparse_attention.txt"
# GPT-2 124M speed levers (issue 12): fused QKV at run time, chunked / liger linear+CE, compile modes, micro-batch
want levers && timeout ${T6:-420} python3 benchmarks/bench_gpu_levers.py --steps 12 > "$OUT/bench_gpu_levers.txt" 2>&1; echo "bench_gpu_levers rc=$?"
tail -22 "$OUT/bench_gpu_levers.txt"
