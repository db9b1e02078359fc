"""Sparse attention on a GPU: forward + backward time and peak memory against full (flash) attention (CUDA only).

For each sequence length T (default 1024, 4096, 8192) and each pattern, a GPT-2 124M-wide model (768 wide, 12 heads,
`--layers` blocks, context_length = T) runs forward + backward on B x T random tokens (B = --tokens // T) under bf16
autocast. `full` goes through `scaled_dot_product_attention(is_causal=True)` (flash); `sliding_window` and
`block_sparse` through compiled FlexAttention with the model's cached `BlockMask`. Prints ms per step, tokens/s and
peak memory (torch.cuda.max_memory_allocated), and, at each T, the speed-up over full attention.

    python benchmarks/bench_sparse_attention.py
    python benchmarks/bench_sparse_attention.py --lengths 4096 8192 --window 512 --layers 4
"""
import argparse, sys, time
import torch
from llm_e2e.config import get_preset
from llm_e2e.model import GPTModel

def patterns(window: int, block: int, n_global: int, stride: int) -> dict:
    "Config overrides of each pattern."
    return {"full": [],
            "sliding_window": ["model.attention=sliding_window", f"model.window={window}"],
            "block_sparse": ["model.attention=block_sparse", f"model.window={window}", f"model.sparse_block={block}",
                             f"model.global_tokens={n_global}", f"model.stride={stride}"]}

def measure(over: list, T: int, tokens: int, layers: int, steps: int) -> tuple:
    "(ms per forward+backward, tokens/s, peak GiB) of the pattern `over` at length T."
    cfg = get_preset("gpt2").replace([f"model.context_length={T}", f"data.block_size={T}", f"model.n_layers={layers}",
                                      "model.pad_vocab_multiple=64"] + over)
    dev = torch.device("cuda")
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats(dev)
    with torch.device(dev): model = GPTModel(cfg).train()
    B = max(1, tokens // T)
    x = torch.randint(0, cfg.model.vocab_size, (B, T), device=dev)

    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16): loss = model(x, x)[1]
        loss.backward()

    for _ in range(3): step()                                        # compile FlexAttention, warm the allocator
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps): step()
    torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / steps
    peak = torch.cuda.max_memory_allocated(dev) / 2**30
    del model
    return dt * 1e3, B * T / dt, peak

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=int, nargs="+", default=[1024, 4096, 8192], help="sequence lengths T")
    ap.add_argument("--tokens", type=int, default=16384, help="tokens per step (batch = tokens // T)")
    ap.add_argument("--layers", type=int, default=12, help="transformer blocks")
    ap.add_argument("--window", type=int, default=256, help="sliding window / block-sparse local span")
    ap.add_argument("--block", type=int, default=128, help="block_sparse block size")
    ap.add_argument("--global-tokens", type=int, default=64, help="block_sparse global tokens")
    ap.add_argument("--stride", type=int, default=8, help="block_sparse stride (0 = off)")
    ap.add_argument("--steps", type=int, default=10, help="timed steps")
    a = ap.parse_args(argv)
    if not torch.cuda.is_available():
        print("bench_sparse_attention: needs a CUDA GPU (none here); nothing measured")
        return 0
    torch.backends.cuda.matmul.allow_tf32 = True
    print(f"{torch.cuda.get_device_name()} | torch {torch.__version__} | {a.layers} layers x 768, bf16, "
          f"{a.tokens} tokens/step | window {a.window}, block {a.block}, global {a.global_tokens}, stride {a.stride}")
    print(f"{'T':>6} {'pattern':>15} {'ms/step':>9} {'tokens/s':>11} {'peak GiB':>9} {'vs full':>8}")
    for T in a.lengths:
        full_ms = None
        for name, over in patterns(a.window, a.block, a.global_tokens, a.stride).items():
            ms, tps, peak = measure(over, T, a.tokens, a.layers, a.steps)
            full_ms = ms if name == "full" else full_ms
            print(f"{T:>6} {name:>15} {ms:>9.1f} {tps:>11,.0f} {peak:>9.2f} {full_ms / ms:>7.2f}x", flush=True)
    return 0

if __name__ == "__main__":
    sys.exit(main())
