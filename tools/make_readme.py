"""Write README.md from nbs/index.ipynb (Quarto's `nbdev_readme` does this where Quarto is installed).
Markdown cells are copied; code cells become ```python blocks (nbdev `#|` directives dropped; `#| hide` cells skipped),
followed by their printed output.
`--check` exits 1 when README.md differs from what would be written."""
import json, sys
from pathlib import Path
root = Path(__file__).resolve().parent.parent

def cell_output_text(cell) -> str:
    "The printed text of a code cell (stream output, or the plain-text result), as nbdev_readme shows it."
    parts = []
    for o in cell.get("outputs", []):
        t = o.get("text") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain")
        if t: parts.append("".join(t) if isinstance(t, list) else t)
    return "".join(parts).strip()

def render(nb_path=root / "nbs" / "index.ipynb") -> str:
    nb = json.loads(Path(nb_path).read_text())
    out = []
    for c in nb["cells"]:
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        if c["cell_type"] == "markdown": out.append(src.strip())
        elif c["cell_type"] == "code":
            lines = src.splitlines()
            if any(l.strip() in ("#| hide", "#|hide") for l in lines): continue
            code = "\n".join(l for l in lines if not l.startswith("#|")).strip()
            if code: out.append("```python\n" + code + "\n```")
            text = cell_output_text(c)
            if text: out.append("```\n" + text + "\n```")
    return "<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n" + "\n\n".join(out) + "\n"

if __name__ == "__main__":
    text, readme = render(), root / "README.md"
    if "--check" in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            print("README.md is out of date: run `python tools/make_readme.py`"); sys.exit(1)
    else: readme.write_text(text); print(f"wrote {readme}")
