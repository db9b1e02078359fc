"""The shakespeare job in PyTorch (llm_e2e.training.train) and in JAX (llm_e2e.jax.train_jax), side by side on the CPU.

Both read configs/shakespeare.yaml with fewer steps (--steps; the schedule is the config's, over those steps), start
from the same weights (train_jax initialises from the seeded PyTorch GPTModel) and draw the same batches (the same
loaders). Each backend runs in a fresh process on the CPU, JAX on one device (system.mesh=data:1, XLA_FLAGS removed).
Reported: the final val loss of each and their relative difference (must be under 2%), the median tokens/s of the
log lines after the first (compilation excluded) and the wall time. The last line of the output is JSON.

Run: python benchmarks/bench_jax_vs_torch.py [--steps 150] [--config shakespeare]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_config(name, steps, out_dir, backend):
    from llm_e2e.config import load_config
    p = ROOT / "configs" / f"{name}.yaml"
    ov = [f"training.max_steps={steps}", f"training.eval_interval={steps}", f"training.save_interval={steps}",
          "training.sample_max_new_tokens=20", "system.device=cpu", f"logging.out_dir={out_dir}",
          f"logging.run_name={backend}", "logging.log_interval=10", "logging.progress_bar=false",
          "logging.wandb_mode=disabled", f"training.warmup_steps={min(30, steps // 5)}"]
    if backend == "jax": ov += ["system.backend=jax", "system.mesh=data:1"]
    return load_config(p if p.exists() else name, ov)


def one(backend, steps, name, out_dir):
    "Train with one backend in this process; print one JSON line with its figures."
    from llm_e2e.training import read_metrics
    cfg = bench_config(name, steps, out_dir, backend)
    t0 = time.time()
    if backend == "jax":
        from llm_e2e.jax import train_jax
        res = train_jax(cfg)
    else:
        from llm_e2e.training import train
        res = train(cfg)
    wall = time.time() - t0
    rows = read_metrics(res.run_dir)
    tps = [r["tok_per_s"] for r in rows if "tok_per_s" in r][1:]
    val = [r["val_loss"] for r in rows if r.get("val_loss") is not None][-1]
    train_loss = [r["loss"] for r in rows if "loss" in r and "event" not in r][-1]
    print(json.dumps({"backend": backend, "steps": res.step, "val_loss": val, "train_loss": train_loss,
                      "tok_per_s": statistics.median(tps), "wall_s": wall}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--config", default="shakespeare")
    ap.add_argument("--one", choices=["torch", "jax"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        return one(a.one, a.steps, a.config, a.out)
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    out, res = tempfile.mkdtemp(prefix="bench-jax-torch-"), {}
    for backend in ("torch", "jax"):
        p = subprocess.run([sys.executable, __file__, "--one", backend, "--steps", str(a.steps), "--config", a.config,
                            "--out", out], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            sys.exit(f"{backend} run failed:\n{p.stderr[-3000:]}")
        res[backend] = json.loads(p.stdout.strip().splitlines()[-1])
    t, j = res["torch"], res["jax"]
    rel = abs(j["val_loss"] - t["val_loss"]) / t["val_loss"]
    print(f"configs/{a.config}.yaml, {a.steps} steps, CPU ({os.cpu_count()} cores), same initial weights and batches")
    print(f"{'backend':<8}{'val loss':>10}{'train loss':>12}{'tokens/s':>10}{'wall s':>8}")
    for b, r in res.items():
        print(f"{b:<8}{r['val_loss']:>10.4f}{r['train_loss']:>12.4f}{r['tok_per_s']:>10,.0f}{r['wall_s']:>8.0f}")
    print(f"val loss relative difference {100 * rel:.2f}% (limit 2%); JAX / PyTorch throughput "
          f"{j['tok_per_s'] / t['tok_per_s']:.2f}x")
    print(json.dumps({"steps": a.steps, "torch": t, "jax": j, "val_loss_rel_diff": rel}))
    if rel >= 0.02: sys.exit(1)


if __name__ == "__main__":
    main()
