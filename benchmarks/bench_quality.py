"""Same budget, same quality: train one config with `llm_e2e.training.train` and with a plain nanoGPT-style loop
(nanoGPT's train.py: AdamW with every 2-D tensor decayed, warmup + cosine, clipping, nothing else) over the same
batches and learning-rate schedule, for several seeds; score every final model on the whole validation split with one
function (non-overlapping block_size windows, mean next-token cross-entropy) and print mean, spread and the
difference with its standard error.
    python benchmarks/bench_quality.py                                   # the main job's config, seeds 1337 2 3
    python benchmarks/bench_quality.py training.max_steps=300 --seeds 1 2 3 4 5
    python benchmarks/bench_quality.py --config shakespeare model.emb_dim=256 data.block_size=256 model.context_length=256
Prints a markdown table of both trainers and the comparison; --json FILE also writes every score. The reference
loop trains our GPTModel (the model was ruled out as the cause: issue 15), so only the training code differs."""
import argparse, contextlib, io, json, math, statistics, sys, tempfile, time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from llm_e2e.config import load_config  # noqa: E402
from llm_e2e.dataset import ShakespeareDataloader  # noqa: E402
from llm_e2e.model import GPTModel  # noqa: E402
from llm_e2e import training  # noqa: E402


@torch.no_grad()
def val_loss(model, cfg, batch_size: int = 16) -> float:
    "Mean cross-entropy over every non-overlapping block_size window of the validation split (the same for all)."
    tokens = ShakespeareDataloader(cfg, "val", device="cpu").tokens
    T = cfg.data.block_size
    n = (len(tokens) - 1) // T
    model.eval()
    total, count = 0.0, 0
    for start in range(0, n, batch_size):
        idx = torch.arange(start, min(n, start + batch_size))[:, None] * T + torch.arange(T + 1)   # (B, T + 1)
        window = tokens[idx]
        logits, _ = model(window[:, :-1])
        loss = F.cross_entropy(logits.float().flatten(0, 1), window[:, 1:].flatten(), reduction="sum")
        total += loss.item()
        count += window[:, 1:].numel()
    return total / count


def nanogpt_param_groups(model, weight_decay: float) -> list:
    "nanoGPT's configure_optimizers: every parameter with dim >= 2 is decayed (embeddings and the tied head too)."
    params = [p for p in model.parameters() if p.requires_grad]
    return [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]


def train_nanogpt_style(cfg):
    "The plain loop: seed, model, AdamW, then for each step: lr, forward, backward, clip, step. Same batches."
    t = cfg.training
    training.set_seed(cfg.system.seed)
    model = GPTModel(cfg)
    opt = torch.optim.AdamW(nanogpt_param_groups(model, t.weight_decay), lr=t.learning_rate,
                            betas=(t.beta1, t.beta2), eps=t.eps, fused=True)
    loader = ShakespeareDataloader(cfg, "train", device="cpu")
    model.train()
    for step in range(t.max_steps):
        lr = training.get_lr(step, cfg)
        for group in opt.param_groups:
            group["lr"] = lr
        for _ in range(t.grad_accum_steps):
            x, y = loader.next_batch()
            _, loss = model(x, y)
            (loss / t.grad_accum_steps).backward()
        if t.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), t.grad_clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
    return model


def train_ours(cfg, out_dir: str):
    "`llm_e2e.training.train` as `llm-e2e train` runs it (its console log kept out of the way); its final weights."
    run_cfg = cfg.replace([f"logging.out_dir={out_dir}", "logging.wandb_mode=disabled", "logging.progress_bar=false"])
    with contextlib.redirect_stdout(io.StringIO()):
        return training.train(run_cfg).model


def summary(scores: list) -> dict:
    mean = statistics.fmean(scores)
    sd = statistics.stdev(scores) if len(scores) > 1 else float("nan")
    return dict(mean=mean, sd=sd, se=sd / math.sqrt(len(scores)), min=min(scores), max=max(scores))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="shakespeare", help="config file or preset (default: the main job's)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1337, 2, 3])
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    ap.add_argument("--json", help="write every score to this file")
    ap.add_argument("--only", choices=["ours", "reference"], help="train only one of the two (e.g. to try a switch)")
    ap.add_argument("overrides", nargs="*", help="dotted config overrides")
    a = ap.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    base = load_config(a.config, a.overrides + ["system.device=cpu"])
    scores = {"llm_e2e.training.train": [], "nanoGPT-style loop": []}
    with tempfile.TemporaryDirectory() as out_dir:
        for seed in a.seeds:
            cfg = base.replace([f"system.seed={seed}", f"logging.run_name=quality-{seed}"])
            for name, fn in (("llm_e2e.training.train", lambda: train_ours(cfg, out_dir)),
                             ("nanoGPT-style loop", lambda: train_nanogpt_style(cfg))):
                if a.only and (name == "nanoGPT-style loop") == (a.only == "ours"):
                    continue
                t0 = time.time()
                loss = val_loss(fn(), cfg)
                scores[name].append(loss)
                print(f"seed {seed:>5} {name:<24} val loss {loss:.4f} ({time.time() - t0:.0f} s)", flush=True)
    m = base.model
    print(f"\nconfig {a.config} {' '.join(a.overrides)}: {m.n_layers} layers x {m.emb_dim}, T={base.data.block_size}, "
          f"batch {base.training.batch_size}, {base.training.max_steps} steps, seeds {a.seeds}\n")
    print("| trainer | mean val loss | sd | se | min | max |\n|---|---|---|---|---|---|")
    stats = {name: summary(s) for name, s in scores.items() if s}
    for name, s in stats.items():
        print(f"| {name} | {s['mean']:.4f} | {s['sd']:.4f} | {s['se']:.4f} | {s['min']:.4f} | {s['max']:.4f} |")
    if a.json:
        Path(a.json).write_text(json.dumps(dict(config=a.config, overrides=a.overrides, seeds=a.seeds, scores=scores),
                                           indent=1))
    if a.only:
        return 0
    ours, ref = stats["llm_e2e.training.train"], stats["nanoGPT-style loop"]
    diff, se = ours["mean"] - ref["mean"], math.sqrt(ours["se"] ** 2 + ref["se"] ** 2)
    verdict = "no worse (within one standard error)" if diff <= se else "worse by more than one standard error"
    print(f"\nours - nanoGPT-style = {diff:+.4f} +- {se:.4f} (standard error): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
