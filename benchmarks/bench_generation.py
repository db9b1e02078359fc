"""Generation speed on the CPU: tokens/s with and without the KV cache (issue 3 benchmark).

Small GPT (4 layers, 256 wide, vocab 50304: the `shakespeare` preset widened to 256, 256-token context), a 16-token
prompt, 200 new greedy tokens, batch 1 and batch 8. Each measurement is repeated and the best run is kept
(other processes share the CPU). Two baselines without a cache: our `generate(use_cache=False)`, which already
applies the 50k-row head to the last position only, and the plain loop that computes logits for every position (as
LLMs-from-scratch's `generate_text_simple`). At batch 1 on a 2-core CPU the head's 51 MB mat-vec (memory bound,
~7 ms) is paid per token by every path, which caps the first ratio. Usage: python benchmarks/bench_generation.py [--threads 2] [--repeats 3]
"""
import argparse, time
import torch
from llm_e2e.config import get_preset
from llm_e2e.model import GPTModel

@torch.no_grad()
def plain_generate(model, idx, new_tokens):
    "The plain loop without a cache (LLMs-from-scratch `generate_text_simple`): full forward, head on every position."
    for _ in range(new_tokens):
        logits = model(idx[:, -model.context_length:])[0][:, -1, :model.vocab_size]
        idx = torch.cat([idx, logits.argmax(-1, keepdim=True)], dim=1)
    return idx

def bench(model, batch, prompt_len, new_tokens, use_cache, repeats):
    "Best tokens/s over `repeats` runs, and the generated tokens (use_cache='plain': the plain loop above)."
    g = torch.Generator().manual_seed(0)
    idx = torch.randint(0, model.vocab_size, (batch, prompt_len), generator=g)
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = (plain_generate(model, idx, new_tokens) if use_cache == "plain"
               else model.generate(idx, new_tokens, temperature=0, use_cache=use_cache))
        best = min(best, time.perf_counter() - t0)
    return batch * new_tokens / best, out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)          # torch CPU threads
    ap.add_argument("--repeats", type=int, default=3)          # runs per measurement, best kept
    ap.add_argument("--new-tokens", type=int, default=200)     # tokens generated per row
    ap.add_argument("--prompt-len", type=int, default=16)      # prompt tokens per row
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = get_preset("shakespeare").replace(["model.context_length=256", "model.emb_dim=256", "model.drop_rate=0.0"])
    torch.manual_seed(0)
    model = GPTModel(cfg).eval()
    m = cfg.model
    print(f"torch {torch.__version__}, {a.threads} threads; model {m.n_layers} layers, {m.emb_dim} wide, vocab "
          f"{m.padded_vocab_size}; prompt {a.prompt_len}, {a.new_tokens} new tokens (greedy), best of {a.repeats}")
    model.generate(torch.zeros(1, 4, dtype=torch.long), 4)     # warm-up
    for B in a.batches:
        tps_c, out_c = bench(model, B, a.prompt_len, a.new_tokens, True, a.repeats)
        tps_n, out_n = bench(model, B, a.prompt_len, a.new_tokens, False, a.repeats)
        tps_p, out_p = bench(model, B, a.prompt_len, a.new_tokens, "plain", a.repeats)
        same = torch.equal(out_c, out_n) and torch.equal(out_c, out_p)
        print(f"batch {B}: KV cache {tps_c:8.1f} tok/s | no cache, head on last position {tps_n:8.1f} tok/s ({tps_c / tps_n:5.2f}x) | "
              f"plain no-cache loop, head on every position {tps_p:8.1f} tok/s ({tps_c / tps_p:5.2f}x) | same tokens: {same}")

if __name__ == "__main__": main()
