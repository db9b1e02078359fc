"""Run nbdev's docs pre-processing (what `nbdev_proc_nbs` / `nbdev_docs` do to each notebook before Quarto renders it:
execute the import, export and show_doc cells on their own) on notebooks, each in a fresh process, and say which fail.
`nbdev_proc_nbs` itself always does the whole folder and, without Quarto, first tries to install it.
    python tools/proc_nb.py                        # every notebook in nbs/
    python tools/proc_nb.py nbs/03_training.ipynb  # just these"""
import subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = """
import sys
from pathlib import Path
from nbdev.serve import FilterDefaults
from nbdev.serve_drv import main
main((Path(sys.argv[1]), Path(sys.argv[2]), FilterDefaults))
"""


def proc_one(nb: Path, out_dir: Path) -> bool:
    "Pre-process one notebook as nbdev does; print the end of its error output if it fails."
    nb = nb.resolve()
    r = subprocess.run([sys.executable, "-c", ONE, str(nb), str(out_dir / nb.name)], cwd=nb.parent,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"--- {nb.name}\n{r.stdout[-2000:]}{r.stderr[-3000:]}")
    return r.returncode == 0


def main(args) -> int:
    nbs = [Path(a) for a in args] or sorted((ROOT / "nbs").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as d, ThreadPoolExecutor(2) as pool:
        ok = dict(zip(nbs, pool.map(lambda nb: proc_one(nb, Path(d)), nbs)))
    for nb, good in ok.items():
        print(("ok     " if good else "FAILED ") + nb.name)
    print(f"docs pre-processing: {sum(ok.values())} of {len(ok)} notebooks ok")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
