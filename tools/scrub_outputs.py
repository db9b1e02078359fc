"""Take machine paths out of notebook outputs (the repository root, the data folder, HOME, temporary folders),
so that committed outputs read the same on every machine. `--check` only reports notebooks that hold such paths.
    python tools/scrub_outputs.py nbs/*.ipynb
    python tools/scrub_outputs.py --check nbs/*.ipynb"""
import json, os, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# absolute paths a reader should never see: home and temporary folders, the checkout and the shared data folder
# (tools/run_notebooks.sh nests the temporary folders of the kernels in a scratch folder: both parts are one path)
MACHINE_PATH = re.compile(r"(/" + r"tmp/(?:[A-Za-z0-9_.-]+/tmp/)?[A-Za-z0-9_.-]+|/" + r"root\b|/" + r"home/[A-Za-z0-9_.-]+|/" + r"work/[A-Za-z0-9_.-]+)")


def replacements() -> list:
    "(absolute path, placeholder) pairs, longest first."
    pairs = [(str(ROOT), "."), (str(ROOT.parent / "shared" / "data"), "$LLM_E2E_DATA_DIR")]
    if os.environ.get("LLM_E2E_DATA_DIR"):
        pairs.append((str(Path(os.environ["LLM_E2E_DATA_DIR"]).resolve()), "$LLM_E2E_DATA_DIR"))
    return sorted(pairs, key=lambda p: -len(p[0]))


def scrub_text(text: str) -> str:
    for path, placeholder in replacements():
        text = text.replace(path, placeholder)
    return MACHINE_PATH.sub("$TMP", text)


def scrub_output(out: dict) -> dict:
    "The output with every text field scrubbed (images are left alone)."
    if "text" in out:
        out["text"] = [scrub_text(t) for t in out["text"]] if isinstance(out["text"], list) else scrub_text(out["text"])
    if "traceback" in out:
        out["traceback"] = [scrub_text(t) for t in out["traceback"]]
    for kind, value in out.get("data", {}).items():
        if kind.startswith("text/"):
            out["data"][kind] = [scrub_text(t) for t in value] if isinstance(value, list) else scrub_text(value)
    return out


def outputs_text(nb: dict) -> str:
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


def main(args) -> int:
    check = "--check" in args
    bad = []
    for name in [a for a in args if a != "--check"]:
        path = Path(name)
        nb = json.loads(path.read_text())
        if check:
            found = MACHINE_PATH.findall(outputs_text(nb))
            if found:
                bad.append(f"{name}: machine paths in outputs, e.g. {found[0]} (run tools/run_notebooks.sh)")
            continue
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = [scrub_output(o) for o in cell.get("outputs", [])]
            else:
                cell.pop("outputs", None)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
