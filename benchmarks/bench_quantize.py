"""Int8 generation against float, side by side in one run: tokens/s at batch 1 and 8, perplexity, model bytes (issue 13).

    python benchmarks/bench_quantize.py --model RUN_DIR_OR_HF_FOLDER   # anything `llm-e2e sample` reads
    python benchmarks/bench_quantize.py                                # GPT-2 124M shapes, random weights (speed, bytes)

The model is loaded twice: float32 as loaded, and `quantize_int8` (int8 weights for every Linear and the tied head,
`--kernel auto`: fbgemm's dynamic kernel on an x86 CPU, `aten._weight_int8pack_mm` elsewhere). Speed: greedy
generation with the KV cache from a `--prompt-len` token prompt; float and int8 runs alternate and the median of
`--repeats` is reported (other processes share the CPU). Perplexity: `llm_e2e.eval.sliding_window_eval` on WikiText-2
(test) and tiny shakespeare (the last 10%), the first `--max-tokens` tokens of each, the same windows for both models
(meaningless for random weights, but the change still shows the rounding). With CUDA the float model is bf16 and
the int8 one runs the weight-only kernel on the GPU.
"""
import argparse, copy, json, statistics, time, warnings
import torch
from llm_e2e.config import get_preset
from llm_e2e.dataset import get_tokenizer
from llm_e2e.eval import markdown_table, read_corpus, sliding_window_eval
from llm_e2e.gpt2_weights import load_model, model_bytes, quantize_int8
from llm_e2e.model import GPTModel

def load(source, device):
    "(float model, name): a GPTModel from anything load_model reads, or random GPT-2 124M shapes for None."
    if source is None:
        torch.manual_seed(0)
        return GPTModel(get_preset("gpt2")).eval().to(device), "random GPT-2 124M shapes"
    return load_model(source, device=device)[0], str(source)

@torch.no_grad()
def tokens_per_s(model, batch, prompt_len, new_tokens):
    "Generated tokens per second (all rows), greedy, KV cache on."
    dev = model.pos_emb.weight.device
    idx = torch.randint(0, model.vocab_size, (batch, prompt_len), generator=torch.Generator().manual_seed(0))
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    sync()
    t0 = time.perf_counter()
    model.generate(idx.to(dev), new_tokens, temperature=0)
    sync()
    return batch * new_tokens / (time.perf_counter() - t0)

def speed(models, batch, a):
    "{name: median tokens/s}: the models take turns, `a.repeats` times, after one warm-up each."
    runs = {k: [] for k in models}
    for m in models.values(): tokens_per_s(m, batch, a.prompt_len, 2)
    for _ in range(a.repeats):
        for k, m in models.items(): runs[k].append(tokens_per_s(m, batch, a.prompt_len, a.new_tokens))
    return {k: statistics.median(v) for k, v in runs.items()}

def perplexities(models, a):
    "{corpus: {name: ppl}} on the first --max-tokens tokens of each corpus, the model's context, stride = context / 2."
    enc, out = get_tokenizer(), {}
    ctx = min(a.context or 1 << 30, next(iter(models.values())).context_length)
    for corpus in a.corpora:
        docs = read_corpus(corpus)
        out[corpus] = {k: sliding_window_eval(m, enc, docs, context=ctx, max_tokens=a.max_tokens, batch_size=4,
                                              progress=False)["ppl"] for k, m in models.items()}
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="run dir, checkpoint, HF GPT-2 folder or hub id (default: random 124M shapes)")
    ap.add_argument("--kernel", default="auto", choices=["auto", "weight-only", "dynamic"], help="int8 matmul kernel")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per model and batch size (median reported)")
    ap.add_argument("--new-tokens", type=int, default=32, help="tokens generated per row")
    ap.add_argument("--prompt-len", type=int, default=16, help="prompt tokens per row")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8], help="batch sizes to time")
    ap.add_argument("--corpora", nargs="*", default=["wikitext2", "shakespeare"], help="perplexity texts ([] = skip)")
    ap.add_argument("--max-tokens", type=int, default=20000, help="tokens scored per corpus")
    ap.add_argument("--context", type=int, help="perplexity window (default: the model's context length)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    cuda = torch.cuda.is_available()
    model, name = load(a.model, "cuda" if cuda else "cpu")
    base = "bf16" if cuda else "fp32"
    if cuda: model = model.to(torch.bfloat16)
    q = quantize_int8(copy.deepcopy(model), a.kernel)
    models = {base: model, "int8": q}
    print(f"model: {name} | {q.quantized} | threads {a.threads} | {a.new_tokens} new tokens after {a.prompt_len}")
    rows = [dict(measure="model MB", **{k: model_bytes(m) / 1e6 for k, m in models.items()})]
    for b in a.batch_sizes:
        rows.append(dict(measure=f"tokens/s, batch {b}", **speed(models, b, a)))
    for corpus, r in perplexities(models, a).items():
        rows.append(dict(measure=f"ppl {corpus} ({a.max_tokens} tokens)", **r))
    for r in rows:
        r["int8 / " + base] = r["int8"] / r[base]
    print(markdown_table(rows))
    if a.json:
        with open(a.json, "w") as f: json.dump(dict(model=name, kernel=q.quantized, rows=rows), f, indent=2)

if __name__ == "__main__":
    main()
