"""GPU levers for GPT-2 124M training throughput, one at a time in one run (issue 12, deliverable 4).

Goal: >= 550k tokens/s (>= 47% MFU, 6N + 12*L*H*Q*T) on one H100-class card; measured earlier on an H200 with the
default path: 512k tokens/s, 44.3%. Each lever changes one thing against the baseline:

- baseline: our default training path (GPTModel, bf16 autocast, torch.compile default mode, fused AdamW, grad clip,
  separate W_query / W_key / W_value matmuls, full (B, T, 50304) logits + float32 cross-entropy);
- fused_qkv: one (3d, d) matmul at run time, concatenated from the separate Q/K/V parameters (checkpoints keep
  their names), then SDPA;
- chunked_ce: linear + cross-entropy over chunks of the sequence, each recomputed in backward (torch.utils.checkpoint):
  the 50k-wide logits of the whole batch never exist at once;
- liger_ce: liger-kernel's fused linear cross-entropy (Triton), when `liger_kernel` is installed;
- compile modes: eager (no compile), max-autotune-no-cudagraphs;
- micro-batch: 16, 32, 64 sequences of T=1024.

For each lever: warm-up steps (compilation), then timed optimizer steps of one micro-batch; tokens/s, MFU and peak
memory. `--check` runs the correctness checks of the levers on CPU (tiny model, float32): fused QKV attention equals
the model's own; chunked cross-entropy equals the full loss, and so do its gradients.

Run: python benchmarks/bench_gpu_levers.py [--levers baseline fused_qkv ...] [--steps 15] [--micro-batch 16]
     python benchmarks/bench_gpu_levers.py --check        (CPU, seconds)
"""
import argparse, sys, time, types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LEVERS = ("baseline", "fused_qkv", "chunked_ce", "liger_ce", "eager", "max_autotune", "fused_qkv+chunked_ce",
          "micro_batch_32", "micro_batch_64")


def fused_qkv_forward(self, x, mask=None, is_causal=True, cache=None, need_weights=False, impl=None):
    "MultiHeadAttention.forward for plain causal training: one QKV matmul from the three separate weights."
    import torch, torch.nn.functional as F
    if mask is not None or cache is not None or need_weights:
        raise ValueError("fused_qkv_forward covers plain causal training only (no mask, cache or weights)")
    B, T, _ = x.shape
    H, hd = self.num_heads, self.head_dim
    w = torch.cat([self.W_query.weight, self.W_key.weight, self.W_value.weight])          # (3d, d)
    b = None
    if self.W_query.bias is not None: b = torch.cat([self.W_query.bias, self.W_key.bias, self.W_value.bias])
    q, k, v = F.linear(x, w, b).view(B, T, 3, H, hd).permute(2, 0, 3, 1, 4)              # 3 x (B, H, T, hd)
    p_drop = self.dropout_p if self.training else 0.0
    y = F.scaled_dot_product_attention(q, k, v, dropout_p=p_drop, is_causal=True)          # (B, H, T, hd)
    return self.out_proj(y.transpose(1, 2).reshape(B, T, H * hd))


def use_fused_qkv(model):
    "Bind the fused forward to every attention layer of `model` (the parameters stay as they are)."
    from llm_e2e.model import MultiHeadAttention
    for mod in model.modules():
        if isinstance(mod, MultiHeadAttention): mod.forward = types.MethodType(fused_qkv_forward, mod)
    return model


def _ce_sum(h, w, t):
    import torch.nn.functional as F
    return F.cross_entropy((h @ w.t()).float().flatten(0, 1), t.flatten(), ignore_index=-100, reduction="sum")


def chunked_ce(hidden, weight, targets, chunk=256):
    "Mean cross-entropy of `hidden @ weight.T` against `targets` (-100 ignored), `chunk` positions at a time."
    from torch.utils.checkpoint import checkpoint
    total = 0.0
    for s in range(0, hidden.shape[1], chunk):
        total = total + checkpoint(_ce_sum, hidden[:, s:s + chunk], weight, targets[:, s:s + chunk], use_reentrant=False)
    return total / (targets != -100).sum()


def loss_function(model, lever):
    "idx, targets -> loss for the lever (the model's own forward, chunked CE or liger's fused linear CE)."
    if "chunked_ce" in lever:
        return lambda idx, tgt: chunked_ce(model.hidden_states(idx), model.out_head.weight, tgt)
    if lever == "liger_ce":
        from liger_kernel.transformers import LigerFusedLinearCrossEntropyLoss
        ce = LigerFusedLinearCrossEntropyLoss()
        def liger(idx, tgt):
            h = model.hidden_states(idx)
            return ce(model.out_head.weight, h.flatten(0, 1), tgt.flatten())
        return liger
    return lambda idx, tgt: model(idx, tgt)[1]


def check_levers():
    "CPU, float32, a tiny model: each lever computes what the default path computes."
    import torch
    from llm_e2e.config import get_preset
    from llm_e2e.model import GPTModel
    torch.manual_seed(0)
    cfg = get_preset("gpt2").replace(["model.n_layers=2", "model.emb_dim=64", "model.n_heads=4",
                                      "model.context_length=64", "data.block_size=64"])
    model = GPTModel(cfg)
    idx = torch.randint(0, 50257, (2, 64))
    tgt = torch.randint(0, 50257, (2, 64))
    tgt[0, :5] = -100
    ref_logits, ref_loss = model(idx, tgt)
    att, x = model.trf_blocks[0].att, torch.randn(2, 64, 64)
    expect = att(x)
    got = fused_qkv_forward(att, x)
    assert torch.allclose(got, expect, atol=1e-5), (got - expect).abs().max()
    ref_loss.backward()
    ref_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    loss = chunked_ce(model.hidden_states(idx), model.out_head.weight, tgt, chunk=24)
    assert torch.allclose(loss, ref_loss, atol=1e-5), (loss.item(), ref_loss.item())
    loss.backward()
    worst = max((p.grad - g).abs().max().item() for p, g in zip(model.parameters(), ref_grads))
    assert worst < 1e-5, worst
    print(f"levers ok: fused QKV attention = separate (max diff {(got - expect).abs().max():.1e}); chunked CE loss "
          f"{loss.item():.6f} = {ref_loss.item():.6f}, gradients max diff {worst:.1e}")


def measure(lever, a, cfg, fpt, peak, dev):
    "Build, warm up and time one lever; returns a result row (None if it cannot run here)."
    import torch
    from llm_e2e.model import GPTModel
    from llm_e2e.training import configure_optimizer, autocast_context, set_seed
    B = int(lever.rsplit("_", 1)[1]) if lever.startswith("micro_batch") else a.micro_batch
    T = cfg.data.block_size
    set_seed(0)
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    model = GPTModel(cfg).to(dev)
    if "fused_qkv" in lever: use_fused_qkv(model)
    opt = configure_optimizer(model, cfg)
    try: fn = loss_function(model, lever)
    except ImportError as e:
        print(f"{lever:22s} skipped: {e}")
        return None
    if lever != "eager": fn = torch.compile(fn, mode="max-autotune-no-cudagraphs" if lever == "max_autotune" else None)
    data = torch.randint(0, 50257, (4, B, T + 1), device=dev, generator=torch.Generator(device=dev).manual_seed(0))

    def step(i):
        b = data[i % len(data)]
        with autocast_context(cfg, dev): loss = fn(b[:, :-1], b[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    try:
        t0 = time.perf_counter()
        for i in range(a.warmup): step(i)
        torch.cuda.synchronize()
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(a.steps): loss = step(i)
        torch.cuda.synchronize()
        dt = (time.perf_counter() - t0) / a.steps
    except torch.OutOfMemoryError:
        print(f"{lever:22s} out of memory at micro-batch {B}")
        return None
    tps = B * T / dt
    row = dict(lever=lever, B=B, ms=1000 * dt, tps=tps, mfu=fpt * tps / peak if peak else float("nan"),
               mem=torch.cuda.max_memory_allocated() / 2**30, warm=warm, loss=loss.item())
    print(f"{lever:22s} B={B:3d} {row['ms']:7.1f} ms/step | {tps:10,.0f} tok/s | MFU {100 * row['mfu']:5.1f}% | "
          f"peak {row['mem']:5.1f} GiB | warm-up {warm:4.0f} s | loss {row['loss']:.3f}", flush=True)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levers", nargs="+", default=list(LEVERS), choices=LEVERS)
    ap.add_argument("--micro-batch", type=int, default=16, help="sequences per micro-batch (T=1024) for every lever")
    ap.add_argument("--steps", type=int, default=15, help="timed optimizer steps per lever")
    ap.add_argument("--warmup", type=int, default=4, help="untimed steps first (compilation)")
    ap.add_argument("--check", action="store_true", help="only the CPU correctness checks of the levers")
    a = ap.parse_args()
    if a.check:
        check_levers()
        return 0
    import torch
    if not torch.cuda.is_available():
        print("bench_gpu_levers: no CUDA device here; run with --check for the CPU correctness checks (nothing measured).")
        return 0
    from llm_e2e.config import get_preset, flops_per_token
    from llm_e2e.training import peak_flops
    torch.backends.cuda.matmul.allow_tf32 = True
    dev = torch.device("cuda")
    name = torch.cuda.get_device_name(dev)
    peak = peak_flops(name, torch.bfloat16)
    cfg = get_preset("gpt2").replace(["model.pad_vocab_multiple=64", "system.dtype=bfloat16", "data.block_size=1024"])
    fpt = flops_per_token(cfg, 1024)
    print(f"device: {name} | torch {torch.__version__} | GPT-2 124M, T=1024, bf16 autocast, fused AdamW | "
          f"{fpt / 1e6:.1f} MFLOPs/token | goal 550,000 tok/s")
    rows = [r for r in (measure(lv, a, cfg, fpt, peak, dev) for lv in a.levers) if r]
    base = next((r for r in rows if r["lever"] == "baseline"), None)
    if base:
        for r in rows: print(f"{r['lever']:22s} {r['tps'] / base['tps']:5.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
