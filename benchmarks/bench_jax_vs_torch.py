"""The shakespeare job in PyTorch (llm_e2e.training.train) and in JAX (llm_e2e.jax.train_jax), side by side on the CPU.

Both read configs/shakespeare.yaml with fewer steps (--steps; the schedule is the config's, over those steps, with at
most a fifth of them as warmup), start from the same weights (train_jax initialises from the seeded PyTorch GPTModel)
and draw the same batches (the same loaders). Each backend runs in a fresh process on the CPU, JAX on one device
(system.mesh=data:1, XLA_FLAGS removed). Reported for every seed: the final val loss of each, the median tokens/s of
the log lines after the first (compilation excluded), the wall time, the PyTorch guard's skipped steps, and the loss /
grad norm of both runs side by side at every 50th step; then the mean val loss of each backend over the seeds and
their relative difference (the issue asks for under 2%; the exit status is 1 above it), next to PyTorch's own spread
from seed to seed.

--control adds a third run per seed: PyTorch again with its unfused (for-each) AdamW kernel, the same math with
different float rounding. Its distance to the first PyTorch run is the run-to-run spread of this job that has nothing
to do with JAX: at the edge of stability, rounding-level differences grow at loss spikes into different trajectories.

Dotted overrides (before the options) change the job for every run (e.g. training.learning_rate=1e-3). The run folders
stay under --out (default: a new temporary folder, printed). The last line of the output is JSON.

Run: python benchmarks/bench_jax_vs_torch.py [KEY=VALUE ...] [--steps 150] [--control] [--seeds 1337 2 3]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BACKENDS = {"torch": "PyTorch", "jax": "JAX", "torch-foreach": "PyTorch, for-each AdamW (control)"}


def bench_config(name, steps, out_dir, backend, seed=None, overrides=()):
    "The job's config for one run: `steps` steps, one eval at the end, warmup at most a fifth of the steps."
    from llm_e2e.config import load_config
    p = ROOT / "configs" / f"{name}.yaml"
    base = load_config(p if p.exists() else name, list(overrides))         # the job as given: its warmup
    warmup = min(base.training.warmup_steps, steps // 5)
    ov = [f"training.max_steps={steps}", f"training.eval_interval={steps}", f"training.save_interval={steps}",
          "training.sample_max_new_tokens=20", "system.device=cpu", f"logging.out_dir={out_dir}",
          f"logging.run_name={backend}", "logging.log_interval=10", "logging.progress_bar=false",
          "logging.wandb_mode=disabled", *overrides, f"training.warmup_steps={warmup}"]
    if seed is not None: ov.append(f"system.seed={seed}")
    if backend == "jax": ov += ["system.backend=jax", "system.mesh=data:1"]
    return base.replace(ov)                                              # validated once, with every change


def unfused_adamw():
    "Make the PyTorch trainer build its AdamW with the for-each kernel (the control run)."
    import llm_e2e.training as tr
    plain = tr.configure_optimizer
    tr.configure_optimizer = lambda model, cfg, fused=None: plain(model, cfg, fused=False)


def one(backend, steps, name, out_dir, seed, overrides):
    "Train with one backend in this process; print one JSON line with its figures."
    from llm_e2e.training import read_metrics, step_rows
    cfg = bench_config(name, steps, out_dir, backend, seed, overrides)
    t0 = time.time()
    if backend == "jax":
        from llm_e2e.jax import train_jax
        res = train_jax(cfg)
    else:
        if backend == "torch-foreach": unfused_adamw()
        from llm_e2e.training import train
        res = train(cfg)
    wall = time.time() - t0
    rows = read_metrics(res.run_dir)
    steps_rows = step_rows(rows)
    tps = [r["tok_per_s"] for r in steps_rows][1:]
    val = [r["val_loss"] for r in rows if r.get("val_loss") is not None][-1]
    print(json.dumps({"backend": backend, "seed": cfg.system.seed, "steps": res.step, "val_loss": val,
                      "train_loss": steps_rows[-1]["loss"], "tok_per_s": statistics.median(tps), "wall_s": wall,
                      "run_dir": str(res.run_dir), "warmup_steps": cfg.training.warmup_steps,
                      "skipped": sum(1 for r in rows if r.get("event") == "skip"),
                      "reloads": sum(1 for r in rows if r.get("event") == "reload"),
                      "max_grad_norm": max(r["grad_norm"] for r in steps_rows),
                      "trace": {r["step"]: [round(r["loss"], 4), round(r["grad_norm"], 3)] for r in steps_rows}}))


def run_one(backend, seed, a, out, env):
    "One backend and seed in a fresh process; its JSON line as a dict."
    seed_args = [] if seed is None else ["--seeds", str(seed)]
    p = subprocess.run([sys.executable, __file__, *a.overrides, "--one", backend, "--steps", str(a.steps),
                        "--config", a.config, "--out", out, *seed_args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"{backend} run (seed {seed}) failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def side_by_side(res, every=50):
    "Loss and grad norm of each run at every `every`-th logged step (and step 1)."
    names = list(res)
    print(f"{'step':>5}" + "".join(f"{n + ' loss':>20}{'grad norm':>11}" for n in names))
    for s in sorted({int(k) for k in res[names[0]]["trace"]}, key=int):
        if s != 1 and s % every: continue
        cells = [res[n]["trace"].get(str(s), [float("nan")] * 2) for n in names]
        print(f"{s:>5}" + "".join(f"{c[0]:>20.4f}{c[1]:>11.3f}" for c in cells))


def print_seed(seed, res):
    "The table of one seed: a row per backend, then the loss curves side by side."
    t, j = res["torch"], res["jax"]
    print(f"\nseed {seed}: warmup {t['warmup_steps']}, run folders {Path(t['run_dir']).parent}")
    print(f"{'backend':<36}{'val loss':>10}{'train loss':>12}{'tokens/s':>10}{'wall s':>8}{'skipped':>9}"
          f"{'max grad norm':>15}")
    for b, r in res.items():
        print(f"{BACKENDS[b]:<36}{r['val_loss']:>10.4f}{r['train_loss']:>12.4f}{r['tok_per_s']:>10,.0f}"
              f"{r['wall_s']:>8.0f}{r['skipped']:>9}{r['max_grad_norm']:>15.2f}")
    print(f"val loss JAX vs PyTorch {100 * (j['val_loss'] / t['val_loss'] - 1):+.2f}%")
    if "torch-foreach" in res:
        print(f"control: for-each vs fused AdamW {100 * (res['torch-foreach']['val_loss'] / t['val_loss'] - 1):+.2f}%")
    side_by_side(res)


def summary(by_seed):
    "Mean val loss of each backend over the seeds, their relative difference and PyTorch's seed-to-seed spread."
    out = {}
    for b in next(iter(by_seed.values())):
        vals = [res[b]["val_loss"] for res in by_seed.values()]
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        tps = statistics.median(res[b]["tok_per_s"] for res in by_seed.values())
        out[b] = dict(mean_val_loss=statistics.mean(vals), sd_val_loss=sd, tok_per_s=tps)
    out["val_loss_rel_diff"] = abs(out["jax"]["mean_val_loss"] / out["torch"]["mean_val_loss"] - 1)
    out["max_seed_rel_diff"] = max(abs(r["jax"]["val_loss"] / r["torch"]["val_loss"] - 1) for r in by_seed.values())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--config", default="shakespeare")
    ap.add_argument("--seeds", type=int, nargs="+", default=[None],
                    help="system.seed of each pair (default: the config's); give overrides before it")
    ap.add_argument("--control", action="store_true", help="also PyTorch with the for-each AdamW kernel")
    ap.add_argument("--out", help="folder for the run folders (default: a new temporary folder)")
    ap.add_argument("--one", choices=list(BACKENDS), help=argparse.SUPPRESS)
    ap.add_argument("overrides", nargs="*", help="dotted config overrides for every run")
    a = ap.parse_args()
    if a.one:
        return one(a.one, a.steps, a.config, a.out, a.seeds[0], a.overrides)
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    out, by_seed = a.out or tempfile.mkdtemp(prefix="bench-jax-torch-"), {}
    backends = ("torch", "jax") + (("torch-foreach",) if a.control else ())
    print(f"configs/{a.config}.yaml {' '.join(a.overrides)}, {a.steps} steps, CPU ({os.cpu_count()} cores), "
          f"same initial weights and batches per seed; run folders under {out}")
    for seed in a.seeds:
        seed_out = os.path.join(out, f"seed{seed}") if seed is not None else out
        res = {b: run_one(b, seed, a, seed_out, env) for b in backends}
        by_seed[res["torch"]["seed"]] = res
        print_seed(res["torch"]["seed"], res)
    s = summary(by_seed)
    t, j = s["torch"], s["jax"]
    print(f"\nover {len(by_seed)} seed(s): mean val loss PyTorch {t['mean_val_loss']:.4f} (sd {t['sd_val_loss']:.4f}), "
          f"JAX {j['mean_val_loss']:.4f} (sd {j['sd_val_loss']:.4f}): {100 * s['val_loss_rel_diff']:.2f}% apart "
          f"(issue: under 2%), largest single seed {100 * s['max_seed_rel_diff']:.2f}%; "
          f"JAX / PyTorch throughput {j['tok_per_s'] / t['tok_per_s']:.2f}x")
    slim = {str(seed): {b: {k: v for k, v in r.items() if k != "trace"} for b, r in res.items()}
            for seed, res in by_seed.items()}
    print(json.dumps({"steps": a.steps, "overrides": a.overrides, "out": out, **s, "runs": slim}))
    if s["val_loss_rel_diff"] >= 0.02: sys.exit(1)


if __name__ == "__main__":
    main()
