"""HellaSwag on this CPU: time for all 10,042 validation items with the small model (4 layers, 256 wide, the
`shakespeare` preset), and a randomly initialised GPT-2 124M on a limit (chance-level check: about 25%).

    python benchmarks/bench_hellaswag_cpu.py                      # full run, small model, + GPT-2 124M on 200 items
    python benchmarks/bench_hellaswag_cpu.py --limit 1000         # quicker: time 1000 items, extrapolate to 10,042
    python benchmarks/bench_hellaswag_cpu.py --gpt2-limit 0       # skip GPT-2 124M

Needs LLM_E2E_DATA_DIR (or data/) with eval/hellaswag_val_full.txt.bz2. Prints one line per model; --json writes them.
"""
import argparse, json, os, platform, time
import torch
from llm_e2e.config import get_preset
from llm_e2e.dataset import get_tokenizer
from llm_e2e.model import GPTModel
from llm_e2e.eval import read_hellaswag, score_multiple_choice

N_ALL = 10042

def bench(name, model, enc, items, batch_size):
    t0 = time.perf_counter()
    r = score_multiple_choice(model, enc, items, batch_size=batch_size, progress=True)
    secs = time.perf_counter() - t0
    row = dict(model=name, params_M=round(sum(p.numel() for p in model.parameters()) / 1e6, 1), items=r["n"],
               seconds=round(secs, 1), items_per_s=round(r["n"] / secs, 2),
               est_full_s=round(secs * N_ALL / r["n"], 1), acc=round(r["acc"], 4), acc_stderr=round(r["acc_stderr"], 4),
               acc_norm=round(r["acc_norm"], 4), acc_norm_stderr=round(r["acc_norm_stderr"], 4))
    print(json.dumps(row), flush=True)
    return row

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="items for the small model (default: all 10,042)")
    ap.add_argument("--batch-size", type=int, default=16, help="items per forward (4 choices each)")
    ap.add_argument("--gpt2-limit", type=int, default=200, help="items for random GPT-2 124M (0 = skip)")
    ap.add_argument("--gpt2-batch-size", type=int, default=4)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    ap.add_argument("--checkpoint", default=None, help="a run dir / checkpoint to use instead of a random small model")
    ap.add_argument("--json", default=None, help="write the result rows here")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs", flush=True)
    enc = get_tokenizer()
    items = read_hellaswag()
    rows = []
    torch.manual_seed(0)
    if a.checkpoint:
        from llm_e2e.gpt2_weights import load_model
        small, _ = load_model(a.checkpoint)
    else:
        small = GPTModel(get_preset("shakespeare").replace(["model.emb_dim=256"])).eval()  # 4 layers, 256 wide, context 128
    mc = small.cfg
    rows.append(bench(f"small ({mc.n_layers}x{mc.emb_dim})" + (" " + a.checkpoint if a.checkpoint else " random"), small, enc,
                      items[:a.limit], a.batch_size))
    if a.gpt2_limit:
        g = GPTModel(get_preset("gpt2")).eval()                    # randomly initialised GPT-2 124M
        rows.append(bench("gpt2-124M random", g, enc, items[:a.gpt2_limit], a.gpt2_batch_size))
    if a.json:
        with open(a.json, "w") as f: json.dump(rows, f, indent=2)

if __name__ == "__main__":
    with torch.inference_mode(): main()
