"""GPT-2 124M forward+backward throughput on a CUDA GPU (bf16 autocast, T=1024), eager and torch.compile,
plus GPU checks of generation (KV cache == no cache, seeded sampling, left padding) on a tiny model.

MFU = tokens/s * (6N + 12 L H Q T) / peak (PaLM appendix B; `llm_e2e.config.flops_per_token`); peak = dense bf16 of
the card (989 TFLOP/s for H100/H200 SXM). Usage: python benchmarks/bench_gpu_train.py [--batch 16] [--no-compile]
"""
import argparse, time
import torch
from llm_e2e.config import get_preset, flops_per_token
from llm_e2e.model import GPTModel

from llm_e2e.training import peak_flops

def measure(model, x, steps=10, warmup=3, opt=None):
    "Seconds per forward+backward (+ optimizer step when `opt`)."
    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16): _, loss = model(x, x)
        loss.backward()
        if opt is not None: opt.step()
        model.zero_grad(set_to_none=True)
    for _ in range(warmup): step()
    torch.cuda.synchronize(); t0 = time.perf_counter()
    for _ in range(steps): step()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / steps

def gpu_checks(device="cuda"):
    "Generation on CUDA: cache == no cache (greedy, padded batch), seeded sampling reproducible, no padded ids."
    torch.manual_seed(0)
    m = GPTModel(get_preset("tiny").replace(["model.pad_vocab_multiple=64"])).to(device).eval()
    p = torch.randint(0, 50257, (3, 12), device=device)
    am = torch.ones(3, 12, dtype=torch.long, device=device); am[1, :5] = 0; am[2, :9] = 0
    g1 = m.generate(p, 40, temperature=0, attention_mask=am)
    g2 = m.generate(p, 40, temperature=0, attention_mask=am, use_cache=False)
    assert torch.equal(g1, g2), "greedy with cache != without cache on CUDA"
    assert torch.equal(g1[1, 5:], m.generate(p[1:2, 5:], 40, temperature=0)[0]), "left-padded row != row alone"
    s1 = m.generate(p, 40, temperature=1.5, top_p=0.95, seed=7, attention_mask=am)
    assert torch.equal(s1, m.generate(p, 40, temperature=1.5, top_p=0.95, seed=7, attention_mask=am))
    assert s1.max() < 50257
    x = torch.randint(0, 50257, (2, 64), device=device)
    d = (m._trunk(x, impl="sdpa") - m._trunk(x, impl="manual")).abs().max().item()
    print(f"GPU checks passed (cache == no cache, padded rows, seeded sampling; sdpa vs manual max diff {d:.1e})")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--no-compile", action="store_true")
    a = ap.parse_args()
    if not torch.cuda.is_available(): print("skipped: no CUDA device"); return
    gpu_checks()                                               # in full float32, before TF32 is switched on
    torch.backends.cuda.matmul.allow_tf32 = True; torch.backends.cudnn.allow_tf32 = True
    cfg = get_preset("gpt2").replace(["model.pad_vocab_multiple=64"])
    name = torch.cuda.get_device_name()
    peak = peak_flops(name)
    B, T = a.batch, 1024
    x = torch.randint(0, 50257, (B, T), device="cuda")
    torch.manual_seed(0)
    model = GPTModel(cfg).cuda().train()
    print(f"{name}, torch {torch.__version__}; GPT-2 124M (vocab 50304), bf16 autocast, B={B} T={T}, dropout {cfg.model.drop_rate}")
    def report(label, s):
        tps = B * T / s
        mfu = f", MFU {tps * flops_per_token(cfg, T) / peak:.1%}" if peak else ""
        print(f"{label:38s} {s * 1e3:7.1f} ms/step {tps:10,.0f} tokens/s{mfu}")
    report("eager forward+backward", measure(model, x, a.steps))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    report("eager forward+backward+AdamW", measure(model, x, a.steps, opt=opt))
    if not a.no_compile:
        t0 = time.perf_counter()
        cm = torch.compile(model)
        measure(cm, x, 1, warmup=1)
        print(f"compile + first steps: {time.perf_counter() - t0:.0f} s")
        report("compiled forward+backward", measure(cm, x, a.steps))
        report("compiled forward+backward+AdamW", measure(cm, x, a.steps, opt=opt))
    print(f"peak memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")

if __name__ == "__main__": main()
