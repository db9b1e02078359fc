"""Run a notebook's code cells in order in plain Python (no Jupyter needed), honouring nbdev test flags.
Used on machines that have torch but not nbdev (e.g. a lent GPU box):
    python tools/run_notebook.py nbs/02_model.ipynb --flags gpu
Cells flagged with one of settings.ini's tst_flags are skipped unless named in --flags. Prints one line per
notebook and exits non-zero if any cell raised."""
import argparse, configparser, json, os, sys, time, traceback
from pathlib import Path
root = Path(__file__).resolve().parent.parent

def cell_flags(src):
    return {l.split("|", 1)[1].strip().split()[0] for l in src.splitlines() if l.startswith("#|") and l.split("|", 1)[1].strip()}

def run(nb_path, force=()):
    ini = configparser.ConfigParser(); ini.read(root / "settings.ini")
    skip = set(ini["DEFAULT"].get("tst_flags", "").split()) - set(force)
    nb = json.loads(Path(nb_path).read_text())
    ns = {"__name__": "__main__", "display": print}
    cwd = os.getcwd(); os.chdir(Path(nb_path).parent)
    t0 = time.time()
    try:
        for i, c in enumerate(nb["cells"]):
            if c["cell_type"] != "code": continue
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            fl = cell_flags(src)
            if fl & skip or "eval:" in fl and "false" in src.split("eval:", 1)[1].split("\n")[0].lower(): continue
            if "nbdev_export(" in src: continue
            try: exec(compile(src, f"{Path(nb_path).name}[cell {i}]", "exec"), ns)
            except Exception:
                traceback.print_exc(); print(f"FAIL {Path(nb_path).name} (cell {i}) {time.time()-t0:.0f}s"); return False
    finally: os.chdir(cwd)
    print(f"PASS {Path(nb_path).name} {time.time()-t0:.0f}s"); return True

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("notebooks", nargs="+"); ap.add_argument("--flags", default="")
    a = ap.parse_args()
    sys.path.insert(0, str(root))
    ok = [run(n, a.flags.split()) for n in a.notebooks]
    print(f"{sum(ok)} passed, {len(ok) - sum(ok)} failed")
    sys.exit(0 if all(ok) else 1)
