"""What each modern switch buys at CPU scale: the GPT-2 baseline against RoPE, RMSNorm, SwiGLU, QK-norm, GQA, no
biases, untied embeddings and Muon, each alone and all together, on the same token budget and the same batches
(one seed = one init and one batch order for every variant), trained by the real trainer (`llm_e2e.training.train`
through `llm_e2e.ablation.run_variant`). Scores the same first --eval-windows non-overlapping windows of the
validation split at every eval; prints val loss at equal tokens and at the baseline's training time, with verdicts.
    python benchmarks/bench_modern.py --json bench_modern.json        # shakespeare config, 100 steps, seeds 1337 2
    python benchmarks/bench_modern.py training.max_steps=200 --variants gpt2 rope swiglu --seeds 1 2 3
    python benchmarks/bench_modern.py --config tiny training.max_steps=20 training.eval_interval=10 --seeds 1
Runs go seed by seed; within a seed the variants alternate direction (forward, then backward), so a drift in the
machine's load does not fall on one variant. Training time excludes evaluation and checkpoints."""
import argparse, datetime, json, os, platform, shlex, sys, tempfile, time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from llm_e2e.config import load_config  # noqa: E402
from llm_e2e.ablation import ablation_table, ablation_variants, format_ablation, plot_ablation, run_variant  # noqa: E402

DEFAULTS = ["training.max_steps=100", "training.warmup_steps=10", "training.eval_interval=25", "logging.log_interval=25",
            "system.device=cpu"]


def machine() -> dict:
    return dict(platform=platform.platform(), processor=platform.processor() or platform.machine(),
                cpus=os.cpu_count(), torch=torch.__version__, threads=torch.get_num_threads())


def run_all(base, variants: dict, seeds: list, eval_windows: int, keep) -> list:
    "Every variant x seed, after a short discarded warm-up run (the process's first run is slower); one line per run."
    with tempfile.TemporaryDirectory() as tmp:
        warm = ["training.max_steps=5", "training.warmup_steps=1", "training.eval_interval=5"]
        run_variant(base.replace(warm), "warmup", [], seeds[0], tmp, eval_windows=8)
    results = []
    for i, seed in enumerate(seeds):
        names = list(variants) if i % 2 == 0 else list(variants)[::-1]
        for name in names:
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.time()
                r = run_variant(base, name, variants[name], seed, keep or tmp, eval_windows=eval_windows)
                last = r["rows"][-1]
                print(f"seed {seed:>5} {name:<16} val loss {last['val_loss']:.4f} after {last['tokens']:,} tokens, "
                      f"{last['train_s']:.0f} s training, {r['tok_per_s']:,.0f} tok/s ({time.time() - t0:.0f} s all)",
                      flush=True)
                results.append(r)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="shakespeare", help="config file or preset (a GPT-2 one; default: the main job's)")
    ap.add_argument("--variants", nargs="+", help="names from ablation_variants (default: all)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1337, 2])
    ap.add_argument("--kv-group", type=int, default=2, help="gqa: query heads per key/value head")
    ap.add_argument("--eval-windows", type=int, default=96, help="val windows scored at each eval")
    ap.add_argument("--min-effect", type=float, default=0.01, help="differences below this (nats) are noise anyway")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    ap.add_argument("--json", help="write every curve, the table and the machine to this file")
    ap.add_argument("--plot", help="write the val-loss curves (tokens, time) to this PNG")
    ap.add_argument("--keep", help="keep the run folders under this folder (default: temporary)")
    ap.add_argument("overrides", nargs="*", help="dotted config overrides, before --variants / --seeds (after the defaults: " + " ".join(DEFAULTS) + ")")
    a = ap.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    base = load_config(a.config, DEFAULTS + a.overrides)
    every = ablation_variants(base, a.kv_group)
    unknown = [v for v in a.variants or [] if v not in every]
    if unknown:
        ap.error(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(every)}")
    variants = {k: every[k] for k in a.variants} if a.variants else every
    if "gpt2" not in variants:
        variants = {"gpt2": [], **variants}
    t0 = time.time()
    results = run_all(base, variants, a.seeds, a.eval_windows, a.keep)
    rows = ablation_table(results, min_effect=a.min_effect)
    m, t = base.model, base.training
    print(f"\nconfig {a.config} {' '.join(a.overrides)}: {m.n_layers} layers x {m.emb_dim}, {m.n_heads} heads, "
          f"T={base.data.block_size}, batch {t.batch_size}, {t.max_steps} steps "
          f"({results[0]['rows'][-1]['tokens']:,} tokens), seeds {a.seeds}, {time.time() - t0:.0f} s in all\n")
    print(format_ablation(rows))
    if a.json:
        info = dict(command="python benchmarks/bench_modern.py " + shlex.join(argv if argv is not None else sys.argv[1:]),
                    date=datetime.datetime.now().isoformat(timespec="minutes"), machine=machine(), config=a.config,
                    overrides=DEFAULTS + a.overrides, seeds=a.seeds, variants=variants, table=rows, results=results)
        Path(a.json).write_text(json.dumps(info, indent=1))
    if a.plot:
        plot_ablation(results, title=f"{a.config}: {t.max_steps} steps, seeds {a.seeds}").savefig(a.plot, dpi=90)
    return 0


if __name__ == "__main__":
    sys.exit(main())
