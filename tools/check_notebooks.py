"""Checks on the notebooks as documents (what the docs build and a reader need), for tools/test.sh:
- no code cell mixes imports with other code: nbdev's docs pre-processing runs every cell that holds an import
  (anywhere in it, nested too) on its own, so such a cell must be imports only (exported cells are exempt);
- every public function and class of the notebook's module (its `__all__`) has a `show_doc(...)` cell;
- the notebook carries outputs (they are committed; tools/run_notebooks.sh makes them), and none holds a
  machine path (tools/scrub_outputs.py).
    python tools/check_notebooks.py [nbs/01_dataset.ipynb ...]   (default: every notebook in nbs/)"""
import ast, importlib, inspect, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from scrub_outputs import MACHINE_PATH, outputs_text  # noqa: E402

EXPORTED = re.compile(r"^#\|\s*(export|exporti|exports|default_exp)\b", re.M)


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def has(tree, types) -> bool:
    return any(isinstance(node, types) for node in ast.walk(tree))


def mixed_import_cells(nb) -> list:
    "Indexes of non-exported code cells that hold an import and also other statements."
    bad = []
    for i, cell in enumerate(nb["cells"]):
        text = source(cell)
        if cell["cell_type"] != "code" or EXPORTED.search(text):
            continue
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        if has(tree, (ast.Import, ast.ImportFrom)) and has(tree, (ast.Expr, ast.Assign)):
            bad.append(i)
    return bad


def module_of(nb) -> str:
    for cell in nb["cells"]:
        m = re.search(r"^#\|\s*default_exp\s+(\S+)", source(cell), re.M)
        if m:
            return m.group(1)
    return ""


def missing_show_docs(nb, module: str) -> list:
    "Public functions and classes of `llm_e2e.<module>` without a show_doc call in the notebook."
    mod = importlib.import_module(f"llm_e2e.{module}")
    documented = set(re.findall(r"^show_doc\(\s*([A-Za-z_][A-Za-z0-9_]*)", "\n".join(map(source, nb["cells"])), re.M))
    public = [n for n in getattr(mod, "__all__", []) if inspect.isfunction(getattr(mod, n)) or inspect.isclass(getattr(mod, n))]
    return [n for n in public if n not in documented]


def check(path: Path) -> list:
    nb = json.loads(path.read_text())
    problems = [f"{path}: cell {i} mixes imports with other code (put the imports in a cell of their own)"
                for i in mixed_import_cells(nb)]
    module = module_of(nb)
    if module:
        missing = missing_show_docs(nb, module)
        if missing:
            problems.append(f"{path}: no show_doc for {', '.join(missing)}")
    if not any(cell.get("outputs") for cell in nb["cells"] if cell["cell_type"] == "code"):
        problems.append(f"{path}: no outputs (run bash tools/run_notebooks.sh {path})")
    found = MACHINE_PATH.findall(outputs_text(nb))
    if found:
        problems.append(f"{path}: machine path in outputs, e.g. {found[0]} (run tools/run_notebooks.sh)")
    return problems


if __name__ == "__main__":
    paths = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "nbs").glob("*.ipynb"))
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p)
    print(f"notebooks: {len(problems)} problem(s) in {len(paths)} notebook(s)")
    sys.exit(1 if problems else 0)
