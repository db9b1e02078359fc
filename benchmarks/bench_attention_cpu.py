"""Forward + backward tokens/s of the `shakespeare` preset on the CPU, SDPA vs manual attention (issue 3 benchmark).

Training mode (dropout as in the preset, 0.1), batch 16 x 128 tokens, the loss's backward included, no optimizer
step. The two implementations are measured in turn, several rounds, best kept (other processes share the CPU).
Usage: python benchmarks/bench_attention_cpu.py [--threads 2] [--rounds 3] [--steps 5]
"""
import argparse, time
import torch
from llm_e2e.config import get_preset
from llm_e2e.model import GPTModel

def fwd_bwd_time(model, x, y, steps):
    "Mean seconds per forward+backward over `steps` steps."
    t0 = time.perf_counter()
    for _ in range(steps):
        _, loss = model(x, y)
        loss.backward()
        model.zero_grad(set_to_none=True)
    return (time.perf_counter() - t0) / steps

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)     # torch CPU threads
    ap.add_argument("--rounds", type=int, default=3)      # alternating rounds per implementation, best kept
    ap.add_argument("--steps", type=int, default=5)       # timed steps per round
    ap.add_argument("--drop-rate", type=float, default=None)  # override the preset's dropout (0.1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    base = get_preset("shakespeare")
    if a.drop_rate is not None: base = base.replace([f"model.drop_rate={a.drop_rate}"])
    B, T = base.training.batch_size, base.data.block_size
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, base.model.vocab_size, (B, T), generator=g)
    y = torch.randint(0, base.model.vocab_size, (B, T), generator=g)
    models = {}
    for impl in ("sdpa", "manual"):
        torch.manual_seed(0)
        models[impl] = GPTModel(base.replace([f"model.attn_impl={impl}"])).train()
        fwd_bwd_time(models[impl], x, y, 1)                  # warm-up
    best = {k: float("inf") for k in models}
    for _ in range(a.rounds):
        for impl, m in models.items(): best[impl] = min(best[impl], fwd_bwd_time(m, x, y, a.steps))
    m = base.model
    print(f"torch {torch.__version__}, {a.threads} threads; shakespeare preset: {m.n_layers} layers, {m.emb_dim} wide, "
          f"{m.n_heads} heads, vocab {m.padded_vocab_size}, dropout {m.drop_rate}; batch {B} x {T}; best of {a.rounds} x {a.steps} steps")
    for impl, s in best.items():
        print(f"{impl:6s}: {s * 1e3:7.1f} ms per forward+backward, {B * T / s:8.0f} tokens/s")
    print(f"sdpa / manual speed: {best['manual'] / best['sdpa']:.2f}x")

if __name__ == "__main__": main()
