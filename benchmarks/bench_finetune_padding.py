"""Fine-tuning throughput: padding each batch to its longest sequence vs padding to the full context.

SST-2 sentences (GPT-2 tokens), a GPTClassifier (GPT trunk + class head on the last real token), all
parameters training with the trainer's AdamW (`training.configure_optimizer`). Each mode runs the same
batches; the figure is training examples per second (forward + backward + optimizer step).

    python benchmarks/bench_finetune_padding.py                      # CPU: 4-layer 256-wide model, context 1024
    python benchmarks/bench_finetune_padding.py --arch gpt2 --device cuda --batch-size 32 --steps 30   # GPU: GPT-2 124M shapes, bf16
"""
import argparse, csv, functools, json, os, sys, time, types
from pathlib import Path

try: import datasets  # noqa: F401  (llm_e2e.finetune imports it; only its file readers use it, this script reads the tsv itself)
except ImportError: sys.modules["datasets"] = types.ModuleType("datasets")

import torch
from llm_e2e.config import get_preset
from llm_e2e.dataset import get_tokenizer, resolve_data_file
from llm_e2e.model import GPTModel
from llm_e2e import training
from llm_e2e.finetune import FinetuneRunConfig, GPTClassifier, FinetuneLoader, collate_classification, classification_loss


def read_sst2(path, n, seed=0):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    g = torch.Generator().manual_seed(seed)
    idx = torch.randperm(len(rows), generator=g)[:n].tolist()
    return [rows[i][0] for i in idx], [int(rows[i][1]) for i in idx]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default="small", choices=["small", "gpt2"], help="small: 4 layers x 256 (the shakespeare preset's trunk); gpt2: 124M shapes")
    ap.add_argument("--context", type=int, default=1024, help="model context length (the 'full context' padding)")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--steps", type=int, default=6, help="timed steps per mode")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps per mode, both modes before any timing")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--data", default=None, help="SST-2 train.tsv (default: resolve 'sentiment/sst2/train.tsv')")
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--json", default=None, help="also write the results here")
    a = ap.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    if dev.type == "cuda": torch.backends.cuda.matmul.allow_tf32 = True
    base = "gpt2" if a.arch == "gpt2" else "shakespeare"
    cfg = get_preset(base, FinetuneRunConfig).replace([f"model.context_length={a.context}", "model.drop_rate=0.0",
                                                       "model.pad_vocab_multiple=64", f"training.batch_size={a.batch_size}",
                                                       "data.block_size=128", "training.learning_rate=1e-4", "training.min_lr=1e-5",
                                                       "training.warmup_steps=0"])
    enc = get_tokenizer()
    path = a.data or resolve_data_file("sentiment/sst2/train.tsv")
    n_ex = a.batch_size * (a.steps + a.warmup) * 2
    texts, labels = read_sst2(path, n_ex)
    ex = [(ids[:a.context], y) for ids, y in zip(enc.encode_ordinary_batch(texts), labels)]
    torch.manual_seed(0)
    model = GPTClassifier(GPTModel(cfg), 2).to(dev)
    opt = training.configure_optimizer(model, cfg)
    fwd = torch.compile(model) if a.compile else model
    amp = torch.autocast("cuda", dtype=torch.bfloat16) if dev.type == "cuda" else torch.autocast("cpu", enabled=False)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    print(f"{a.arch}: {sum(p.numel() for p in model.parameters())/1e6:.1f}M parameters | {dev} "
          f"{torch.cuda.get_device_name(dev) if dev.type == 'cuda' else ''} | batch {a.batch_size} | context {a.context} | "
          f"{a.steps} timed steps | torch {torch.__version__} | threads {torch.get_num_threads()}")
    modes = {"longest": None, "full_context": a.context}
    loaders = {m: FinetuneLoader(ex, a.batch_size, functools.partial(collate_classification, pad_to=p), seed=0, device=dev)
               for m, p in modes.items()}

    def run(mode, n):
        "n training steps of `mode`; (seconds, real tokens, padded tokens)."
        sync(); t0 = time.perf_counter(); real = padded = 0
        for _ in range(n):
            batch = loaders[mode].next_batch()
            real = real + batch[1].sum(); padded += batch[1].numel()   # no host sync inside the loop
            with amp: loss = classification_loss(fwd, batch)
            loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        sync()
        return time.perf_counter() - t0, int(real), padded

    for mode in modes: run(mode, a.warmup)          # warm up BOTH modes first (CUDA context, allocator, kernels)
    res = {}
    for mode in modes:
        dt, real, padded = run(mode, a.steps)
        res[mode] = dict(examples_per_s=a.steps * a.batch_size / dt, ms_per_step=1000 * dt / a.steps,
                         mean_batch_len=padded / (a.steps * a.batch_size), real_token_share=real / padded)
        print(f"{mode:>12}: {res[mode]['examples_per_s']:9.1f} examples/s | {res[mode]['ms_per_step']:8.1f} ms/step | "
              f"mean padded length {res[mode]['mean_batch_len']:6.1f} | real tokens {100 * res[mode]['real_token_share']:5.1f}%")
    sp = res["longest"]["examples_per_s"] / res["full_context"]["examples_per_s"]
    print(f"padding to the longest is {sp:.1f}x faster than padding to {a.context}")
    out = dict(args=vars(a), device=str(dev), results=res, speedup=sp)
    if a.json: Path(a.json).write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
