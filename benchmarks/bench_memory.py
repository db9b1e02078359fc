"""Measured peak CUDA memory of a few training steps against `llm_e2e.training.memory_plan` (GPU only).

For each case: the model of a config (or preset) with its micro-batch, activation checkpointing as the case says,
bf16 autocast, fused AdamW, grad clipping; a few optimizer steps on random tokens in one process. Prints the plan's
total for that mode (the 'single' row: one GPU), torch.cuda.max_memory_allocated, their ratio, tokens/s and MFU
(6N + 12·L·H·Q·T FLOPs per token, `peak_flops` of the GPU's name).

    python benchmarks/bench_memory.py                 # the default cases (124M, medium, medium + AC, XL + AC)
    python benchmarks/bench_memory.py --cases gpt2-xl:8:1 --steps 5
"""
import argparse, time
import torch
from llm_e2e.config import get_preset, load_config, flops_per_token
from llm_e2e.model import GPTModel
from llm_e2e.training import (GiB, apply_activation_checkpointing, autocast_context, configure_optimizer, memory_plan,
                              peak_flops)

CASES = ["gpt2:16:0", "gpt2-medium:16:0", "gpt2-medium:16:1", "gpt2-xl:8:1"]

def config_of(name: str, batch: int, ac: bool):
    "A preset or config file with a micro-batch, 1024-token windows, bf16 and activation checkpointing on or off."
    base = get_preset(name) if not name.endswith(".yaml") else load_config(name)
    return base.replace([f"training.batch_size={batch}", "data.block_size=1024", "system.dtype=bfloat16",
                         "system.compile=false", f"system.activation_checkpointing={str(bool(ac)).lower()}"])

def measure(cfg, steps: int) -> tuple:
    "(peak GiB allocated, tokens/s, MFU) of `steps` optimizer steps (the first one not timed)."
    dev = torch.device("cuda")
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats(dev)
    with torch.device(dev): model = GPTModel(cfg)
    if cfg.system.activation_checkpointing: apply_activation_checkpointing(model)
    opt = configure_optimizer(model, cfg)
    B, T = cfg.training.batch_size, cfg.data.block_size
    x = torch.randint(0, cfg.model.vocab_size, (B, T), device=dev)
    times = []
    for _ in range(steps):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        with autocast_context(cfg, dev): loss = model(x, x)[1]
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    peak = torch.cuda.max_memory_allocated(dev) / GiB
    dt = sorted(times[1:])[len(times[1:]) // 2] if len(times) > 1 else times[0]
    tps = B * T / dt
    pk = peak_flops(torch.cuda.get_device_name(dev), torch.bfloat16)
    del model, opt
    return peak, tps, (flops_per_token(cfg, T) * tps / pk) if pk else None

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=CASES, help="NAME:MICRO_BATCH:AC (AC 0 or 1), NAME a preset or .yaml")
    ap.add_argument("--steps", type=int, default=4)
    a = ap.parse_args()
    if not torch.cuda.is_available(): raise SystemExit("bench_memory needs a CUDA GPU")
    mem = torch.cuda.get_device_properties(0).total_memory / GiB
    print(f"{torch.cuda.get_device_name(0)}, {mem:.1f} GiB, torch {torch.__version__}, {time.strftime('%Y-%m-%d')}")
    for case in a.cases:
        name, b, ac = case.split(":")
        cfg = config_of(name, int(b), ac == "1")
        row = memory_plan(cfg, gpus=1, gpu_mem_gb=mem)["rows"][1 if ac == "1" else 0]
        try: peak, tps, mfu = measure(cfg, a.steps)
        except torch.cuda.OutOfMemoryError:
            print(f"{case:<20} plan {row['total']:6.2f} GiB | out of memory")
            continue
        m = f"{100 * mfu:.1f}%" if mfu else "-"
        print(f"{case:<20} plan {row['total']:6.2f} GiB | measured peak {peak:6.2f} GiB | measured/plan "
              f"{peak / row['total']:.2f} | {tps:,.0f} tok/s | MFU {m}")

if __name__ == "__main__":
    main()
