"""Streaming-path benchmark: tokenization + packing throughput and memory while streaming ~100 MB of text.

Run from the repository root (LLM_E2E_DATA_DIR must point at the shared data, or data/ must hold the files):
    LLM_E2E_DATA_DIR=../shared/data HF_DATASETS_OFFLINE=1 python benchmarks/bench_streaming.py [--mb 100] [--bench-mb 20]

Prints:
1. tokens/s of tiktoken's own `encode_ordinary_batch` (2 threads) on the documents: the ceiling;
2. tokens/s of the streaming path's tokenizer + packing alone (documents already in memory);
3. tokens/s of the whole streaming path: jsonl.gz files -> `datasets` stream -> hash split -> tokenize -> pack -> batches;
4. RSS at 25/50/75/100% of a ~100 MB stream (with the default 10k-document shuffle buffer) and the peak.
Not a test: figures depend on the machine and its load.
"""
import argparse, gc, gzip, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np

from llm_e2e.config import get_preset
from llm_e2e.dataset import (StreamingDatasetGenerator, get_tokenizer, resolve_data_file, EOT_ID)


def rss_mb() -> float:
    "Resident set size of this process now (MB)."
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def peak_rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"): return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def make_corpus(folder: Path, mb: float, seed: int = 0, files: int = 8, keep: bool = True):
    "fineweb-edu-shaped jsonl.gz files (text, id, url, score) of about `mb` MB of text: tiny shakespeare paragraphs and C4 documents, recombined."
    paras = [p for p in resolve_data_file("text/tinyshakespeare.txt").read_text().split("\n\n") if p.strip()]
    for i in (1, 2, 3):
        with gzip.open(resolve_data_file(f"webtext/c4-sample.0{i}.json.gz"), "rt") as g:
            paras += [json.loads(l)["text"] for l in g]
    rng = np.random.default_rng(seed)
    target, written, n = mb * 1e6, 0, 0
    outs = [gzip.open(folder / f"part-{k:03d}.jsonl.gz", "wt", compresslevel=1) for k in range(files)]
    docs = []
    while written < target:
        k = rng.integers(1, 12)
        text = "\n\n".join(paras[j] for j in rng.integers(0, len(paras), k))
        text = f"{text}\n\n(variant {n}: {rng.integers(1 << 30)})"       # every document differs
        outs[n % files].write(json.dumps({"text": text, "id": f"<urn:uuid:{n}>", "url": f"https://example.org/{n}", "score": float(rng.uniform(2.5, 5))}) + "\n")
        if keep: docs.append(text)
        written += len(text); n += 1
    for o in outs: o.close()
    return (docs if keep else n), written

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100, help="MB of text streamed for the memory figures")
    ap.add_argument("--bench-mb", type=float, default=20, help="MB of text for the throughput figures")
    ap.add_argument("--threads", type=int, default=2, help="tokenizer threads (this machine: 2 cores)")
    ap.add_argument("--block-size", type=int, default=1024)
    ap.add_argument("--batch-size", type=int, default=8)
    a = ap.parse_args()
    enc = get_tokenizer()
    cfg = get_preset("tiny").replace([f"model.context_length={a.block_size}", f"data.block_size={a.block_size}", f"training.batch_size={a.batch_size}", "data.streaming=true"])
    import datasets, tiktoken
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"python {sys.version.split()[0]}, tiktoken {tiktoken.__version__}, datasets {datasets.__version__}, "
          f"{cpus} usable CPUs of {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        (d / "bench").mkdir(); (d / "big").mkdir()
        t0 = time.time(); docs, nchars = make_corpus(d / "bench", a.bench_mb, seed=1)
        print(f"throughput corpus: {len(docs):,} documents, {nchars / 1e6:.1f} MB of text (written in {time.time() - t0:.1f} s)")

        # 1. the ceiling: tiktoken's batch encoder, 2 threads, the same documents
        t0 = time.time(); ids = enc.encode_ordinary_batch(docs, num_threads=a.threads); dt = time.time() - t0
        ntok = sum(map(len, ids)) + len(docs); del ids
        ceil = ntok / dt
        print(f"[1] tiktoken encode_ordinary_batch ({a.threads} threads):      {ceil / 1e6:6.2f} M tokens/s ({ntok:,} tokens in {dt:.1f} s)")

        # 2. tokenize + pack only (documents in memory, no hashing of files / datasets reading)
        vcfg = cfg.replace(["data.shuffle_buffer=0"])
        def run(dl):
            t0 = time.time(); n = 0
            for x, y in dl: n += x.numel()
            return n, time.time() - t0
        src = [{"text": t} for t in docs]
        n, dt = run(StreamingDatasetGenerator(vcfg, "train", epochs=1, source=src, num_threads=a.threads))
        print(f"[2] streaming path, tokenize + hash split + pack (in memory): {n / dt / 1e6:6.2f} M tokens/s ({n:,} train tokens in {dt:.1f} s; {n / dt / ceil:.0%} of [1])")

        # 3. the whole path from files
        fcfg = vcfg.replace([f"data.data_files={d / 'bench'}/*.jsonl.gz"])
        n, dt = run(StreamingDatasetGenerator(fcfg, "train", epochs=1, num_threads=a.threads))
        print(f"[3] streaming path from jsonl.gz through datasets (no shuffle): {n / dt / 1e6:5.2f} M tokens/s ({n:,} tokens in {dt:.1f} s)")
        scfg = fcfg.replace(["data.shuffle_buffer=10000"])
        n, dt = run(StreamingDatasetGenerator(scfg, "train", epochs=1, num_threads=a.threads))
        print(f"[3b] the same with a 10k-document shuffle buffer:             {n / dt / 1e6:5.2f} M tokens/s ({n:,} tokens in {dt:.1f} s)")
        del docs, src

    # 4. memory, in a fresh process so that nothing above counts
    cmd = [sys.executable, __file__, "--memory-only", "--mb", str(a.mb), "--threads", str(a.threads),
           "--block-size", str(a.block_size), "--batch-size", str(a.batch_size)]
    subprocess.run(cmd, check=True)

def memory(a):
    "RSS while streaming about `a.mb` MB of text through the whole path (files -> datasets -> shuffle buffer -> tokens -> batches)."
    cfg = get_preset("tiny").replace([f"model.context_length={a.block_size}", f"data.block_size={a.block_size}",
                                      f"training.batch_size={a.batch_size}", "data.streaming=true", "data.shuffle_buffer=10000"])
    import datasets, pyarrow   # imported before the baseline: their code and tables are not the stream's memory
    get_tokenizer()
    with tempfile.TemporaryDirectory() as d:
        t0 = time.time(); ndocs, nchars = make_corpus(Path(d), a.mb, seed=2, keep=False); gc.collect()
        print(f"memory corpus: {ndocs:,} documents, {nchars / 1e6:.1f} MB of text (written in {time.time() - t0:.1f} s)")
        base = rss_mb()
        dl = StreamingDatasetGenerator(cfg.replace([f"data.data_files={d}/*.jsonl.gz"]), "train", epochs=1, num_threads=a.threads)
        marks = [0.25, 0.5, 0.75]; seen = []; n = 0; t0 = time.time()
        for x, y in dl:
            n += x.numel()
            frac = dl._state["docs"] / ndocs
            while marks and frac >= marks[0]: seen.append((marks.pop(0), rss_mb()))
        seen.append((1.0, rss_mb())); dt = time.time() - t0
        print(f"[4] streamed {n:,} tokens ({nchars / 1e6:.0f} MB of text, shuffle buffer 10k documents) in {dt:.1f} s ({n / dt / 1e6:.2f} M tokens/s)")
        print(f"    RSS in a fresh process: {base:.0f} MB after imports (torch, datasets) + tokenizer; during the stream at " + ", ".join(f"{int(f * 100)}%: {r:.0f} MB" for f, r in seen)
              + f"; peak (VmHWM) {peak_rss_mb():.0f} MB")
        growth = seen[-1][1] - seen[0][1]
        print(f"    growth from 25% to 100%: {growth:+.0f} MB ({'flat' if growth < 50 else 'GROWS'})")

if __name__ == "__main__":
    if "--memory-only" in sys.argv:
        ap = argparse.ArgumentParser(); ap.add_argument("--memory-only", action="store_true")
        for k, t, v in (("--mb", float, 100), ("--threads", int, 2), ("--block-size", int, 1024), ("--batch-size", int, 8)): ap.add_argument(k, type=t, default=v)
        memory(ap.parse_args())
    else: main()
