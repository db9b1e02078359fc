"""GPU throughput of GPT-2 124M training: tokens/s and MFU.

GPT-2 124M (vocab padded to 50304), T=1024, bf16 autocast, torch.compile, fused AdamW, synthetic tokens.
For each micro-batch size: a few warm-up steps (compilation), then `--steps` timed optimizer steps of one
micro-batch each, then `--full-steps` timed steps of 524,288 tokens (gradient accumulation), as the
gpt2-124M-fineweb configs run. MFU = flops_per_token * tokens/s / peak, with
flops_per_token = 6N + 12*L*H*Q*T (llm_e2e.config.flops_per_token; N without position embeddings) and the
peak dense bf16 throughput of the card, looked up from its name (llm_e2e.training.PEAK_TFLOPS).

Run: python benchmarks/bench_gpu_124m.py [--micro-batch 16 32 64] [--steps 20] [--full-steps 2] [--no-compile]
Needs only torch, numpy and this repository; exits cleanly without CUDA.
"""
import argparse, math, os, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--micro-batch", type=int, nargs="+", default=[16], help="sequences per micro-batch (several: one run each)")
    ap.add_argument("--steps", type=int, default=20, help="timed single-micro-batch optimizer steps")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first (compilation)")
    ap.add_argument("--full-steps", type=int, default=2, help="timed optimizer steps of --tokens-per-step tokens (0 = skip)")
    ap.add_argument("--tokens-per-step", type=int, default=524288)
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--trainer-steps", type=int, default=0,
                    help="also run llm_e2e.training.train for this many full steps on synthetic tokens (first micro-batch size)")
    a = ap.parse_args()

    import torch
    if not torch.cuda.is_available():
        print("bench_gpu_124m: no CUDA device here; this benchmark needs a GPU (nothing measured).")
        return 0
    from llm_e2e.config import get_preset, flops_per_token
    from llm_e2e.model import GPTModel
    from llm_e2e.training import configure_optimizer, peak_flops, autocast_context, set_seed

    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    dev = torch.device("cuda")
    name = torch.cuda.get_device_name(dev)
    peak = peak_flops(name, torch.bfloat16)
    T = 1024
    cfg = get_preset("gpt2").replace(["model.pad_vocab_multiple=64", "system.dtype=bfloat16", f"data.block_size={T}"])
    fpt = flops_per_token(cfg, T)
    print(f"device: {name} | torch {torch.__version__} | peak bf16 dense: {peak/1e12 if peak else float('nan'):.1f} TFLOPs"
          f" ({'from PEAK_TFLOPS' if peak else 'unknown card: no MFU'})")
    print(f"model: GPT-2 124M, padded vocab {cfg.model.padded_vocab_size}, T={T}, bf16 autocast, "
          f"compile={not a.no_compile}, fused AdamW")
    print(f"flops/token = 6N + 12*L*H*Q*T = {fpt/1e6:.1f} MFLOPs (N = {(fpt - 12*12*12*64*T)/6/1e6:.2f}M without position embeddings)")

    results = []
    for B in a.micro_batch:
        set_seed(0)
        torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
        model = GPTModel(cfg).to(dev)
        opt = configure_optimizer(model, cfg)
        fused = opt.defaults.get("fused")
        fwd = model if a.no_compile else torch.compile(model)
        g = torch.Generator(device=dev).manual_seed(0)
        data = torch.randint(0, 50257, (8, B, T + 1), device=dev, generator=g)   # 8 synthetic batches, cycled

        def step(accum, i0):
            for m in range(accum):
                b = data[(i0 + m) % len(data)]
                with autocast_context(cfg, dev):
                    _, loss = fwd(b[:, :-1], b[:, 1:])
                (loss / accum).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); opt.zero_grad(set_to_none=True)
            return loss

        try:
            t0 = time.perf_counter()
            for i in range(a.warmup): step(1, i)
            torch.cuda.synchronize(); t_warm = time.perf_counter() - t0
            t0 = time.perf_counter()
            for i in range(a.steps): loss = step(1, i)
            torch.cuda.synchronize(); dt = (time.perf_counter() - t0) / a.steps
        except torch.OutOfMemoryError:
            print(f"micro-batch {B}: out of memory"); del model, opt, fwd; torch.cuda.empty_cache(); continue
        tps = B * T / dt
        mfu = fpt * tps / peak if peak else float("nan")
        r = dict(B=B, ms=1000 * dt, tps=tps, mfu=mfu, mem=torch.cuda.max_memory_allocated() / 2**30, warm=t_warm, fused=fused)
        print(f"micro-batch {B:3d}: {1000*dt:7.1f} ms/step (1 micro-batch + optimizer) | {tps:10,.0f} tok/s | MFU {100*mfu:5.1f}% "
              f"| peak mem {r['mem']:.1f} GiB | warm-up {t_warm:.0f} s | loss {loss.item():.3f} | fused AdamW {fused}")
        if a.full_steps and a.tokens_per_step % (B * T) == 0:
            accum = a.tokens_per_step // (B * T)
            t0 = time.perf_counter()
            for i in range(a.full_steps): step(accum, i)
            torch.cuda.synchronize(); dtf = (time.perf_counter() - t0) / a.full_steps
            r.update(full_ms=1000 * dtf, full_tps=a.tokens_per_step / dtf, full_mfu=fpt * a.tokens_per_step / dtf / peak if peak else float("nan"))
            print(f"micro-batch {B:3d}: full step of {a.tokens_per_step:,} tokens ({accum} x {B} x {T}): {1000*dtf:8.1f} ms | "
                  f"{r['full_tps']:10,.0f} tok/s | MFU {100*r['full_mfu']:5.1f}% | 19073 steps = {19073*dtf/3600:.1f} h")
        results.append(r)
        del model, opt, fwd, data
        torch.cuda.empty_cache()
    if results:
        best = max(results, key=lambda r: r.get("full_tps", r["tps"]))
        print(f"best: micro-batch {best['B']}: {best.get('full_tps', best['tps']):,.0f} tok/s, "
              f"MFU {100*best.get('full_mfu', best['mfu']):.1f}% on {name}")
    if a.trainer_steps: trainer_run(a, cfg, a.micro_batch[0])
    return 0


def trainer_run(a, cfg, B):
    "The real training loop (guard, logging, checkpoint) on synthetic tokens: its own log lines give tok/s and MFU."
    import tempfile, torch
    from llm_e2e.training import train, load_checkpoint

    class Synthetic:
        def __init__(self, seed): self.i, self.seed = 0, seed
        def next_batch(self):
            g = torch.Generator(device="cuda").manual_seed(self.seed * 1_000_003 + self.i); self.i += 1
            w = torch.randint(0, 50257, (B, 1025), device="cuda", generator=g)
            return w[:, :-1], w[:, 1:]
        def state_dict(self): return {"i": self.i}
        def load_state_dict(self, sd): self.i = sd["i"]

    with tempfile.TemporaryDirectory() as d:
        c = cfg.replace([f"training.batch_size={B}", f"training.max_steps={a.trainer_steps}", "training.warmup_steps=1",
                         "training.eval_interval=100000", "training.save_interval=100000", "logging.log_interval=1",
                         "logging.wandb_mode=disabled", "logging.progress_bar=false", f"logging.out_dir={d}", "logging.run_name=bench",
                         f"system.compile={not a.no_compile}", "system.device=cuda"])
        print(f"\n--- llm_e2e.training.train: {a.trainer_steps} steps of {c.training.tokens_per_step:,} tokens, micro-batch {B}")
        t0 = time.perf_counter()
        res = train(c, train_loader=Synthetic(0), val_loader=None, sample_fn=lambda m: None, eval_fn=lambda m: {})
        print(f"trainer: {res.step} steps in {time.perf_counter() - t0:.0f} s (compilation included)")
        logs = [m for m in res.metrics if "tok_per_s" in m][1:]      # the first step includes compilation
        if logs:
            print(f"trainer steady state: {sum(m['tok_per_s'] for m in logs)/len(logs):,.0f} tok/s, "
                  f"MFU {100*sum(m['mfu'] or 0 for m in logs)/len(logs):.1f}%")
        ck = sorted(Path(d, "bench").glob("step_*.pt"))[-1]
        t0 = time.perf_counter(); load_checkpoint(ck); t_load = time.perf_counter() - t0
        print(f"checkpoint {ck.name}: {ck.stat().st_size/1e9:.2f} GB, load {t_load:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
