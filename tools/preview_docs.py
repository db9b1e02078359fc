"""A preview of the docs site that builds without Quarto: each notebook goes through nbdev's docs pre-processing
(what `nbdev_docs` does before Quarto renders: exported code hidden, show_doc cells run and shown without their
input), then nbconvert writes it as HTML, and an index page links the pages in the site's order.
    python tools/preview_docs.py                 # writes _docs_preview/index.html (git-ignored)
    chromium --headless --screenshot=shot.png --window-size=1280,2000 file://$PWD/_docs_preview/03_training.html"""
import html, json, re, subprocess, sys, tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_docs_preview"
sys.path.insert(0, str(ROOT / "tools"))
from proc_nb import ONE  # noqa: E402  (the same pre-processing step)

HIDDEN = re.compile(r"^#\|\s*(hide|export|exporti|default_exp)\b", re.M)
NO_INPUT = re.compile(r"^#\|\s*(echo:\s*false|output:\s*asis)", re.M)


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


QUARTO_ATTRS = re.compile(r"\{target=[^}]*\}")


def front_matter_as_title(cell) -> dict:
    "nbdev turns the title and summary into Quarto front matter; show them as a heading and a quote instead."
    fields = yaml.safe_load(source(cell).strip().strip("-")) or {}
    text = f"# {fields.get('title', '')}\n\n> {fields.get('description', '')}"
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def without_quarto_attrs(cell) -> dict:
    for out in cell.get("outputs", []):
        for kind, value in out.get("data", {}).items():
            if kind == "text/markdown":
                text = "".join(value) if isinstance(value, list) else value
                out["data"][kind] = QUARTO_ATTRS.sub("", text)
    return cell


def for_html(nb: dict) -> dict:
    "Drop hidden and emptied cells; tag show_doc cells so nbconvert leaves out their input, as Quarto does."
    cells = []
    for cell in nb["cells"]:
        text = source(cell)
        if not text.strip() or HIDDEN.search(text):
            continue
        if cell["cell_type"] == "raw" and text.startswith("---"):
            cells.append(front_matter_as_title(cell))
            continue
        cell = without_quarto_attrs(cell)
        if cell["cell_type"] == "code" and NO_INPUT.search(text):
            cell.setdefault("metadata", {}).setdefault("tags", []).append("remove_input")
        cells.append(cell)
    nb["cells"] = cells
    return nb


def title_of(nb: dict, fallback: str) -> str:
    for cell in nb["cells"]:
        m = re.match(r"#\s+(.+)", source(cell)) if cell["cell_type"] == "markdown" else None
        if m:
            return m.group(1).strip()
    return fallback


def page_name(nb_path: Path) -> str:
    "The HTML page of a notebook; index.ipynb (the site's home) becomes home.html beside the page list."
    return "home" if nb_path.stem == "index" else nb_path.stem


def build_page(nb_path: Path, work: Path) -> str:
    "Pre-process and convert one notebook; returns its title."
    processed = work / nb_path.name
    subprocess.run([sys.executable, "-c", ONE, str(nb_path), str(processed)], cwd=nb_path.parent, check=True)
    nb = for_html(json.loads(processed.read_text()))
    processed.write_text(json.dumps(nb))
    subprocess.run(["jupyter", "nbconvert", "--to", "html", "--log-level=WARN", "--output-dir", str(OUT),
                    "--output", page_name(nb_path),
                    "--no-prompt", "--TagRemovePreprocessor.enabled=True", "--TagRemovePreprocessor.remove_input_tags=remove_input",
                    str(processed)], check=True)
    return title_of(nb, nb_path.stem)


def write_index(pages: list):
    items = "\n".join(f'<li><a href="{html.escape(name)}.html">{html.escape(title)}</a> '
                      f'<code>{html.escape(name)}</code></li>' for name, title in pages)
    OUT.joinpath("index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>llm_e2e docs preview</title>"
        "<body style='font-family:sans-serif;max-width:60em;margin:2em auto'>"
        "<h1>llm_e2e: docs preview</h1><p>nbdev-processed notebooks rendered with nbconvert "
        "(the real site is built by <code>nbdev_docs</code> with Quarto).</p>"
        f"<ul>{items}</ul></body>")


def main(args) -> int:
    nbs = [Path(a).resolve() for a in args] or sorted((ROOT / "nbs").glob("*.ipynb"))
    nbs = sorted(nbs, key=lambda p: (p.name != "index.ipynb", p.name))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        pages = [(page_name(nb), build_page(nb, Path(d))) for nb in nbs]
    write_index(pages)
    print(f"wrote {OUT / 'index.html'} and {len(pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
