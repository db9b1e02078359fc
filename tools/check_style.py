"""Style checks over the exported package (llm_e2e/*.py, not the generated _modidx.py): no line over 120 characters,
no statements chained with `;`, no function over 60 lines. Prints each offence and exits 1 if there is any.
    python tools/check_style.py [--max-line 120] [--max-function 60]"""
import argparse, ast, io, sys, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def long_lines(path: Path, text: str, limit: int) -> list:
    "Lines over `limit`; nbdev writes `__all__ = [` before a list it wrapped at 120, so that first line is exempt."
    return [f"{path}:{i}: {len(line)} characters (max {limit})"
            for i, line in enumerate(text.splitlines(), 1) if len(line) > limit and not line.startswith("__all__ = [")]


def chained_statements(path: Path, text: str) -> list:
    "Every `;` that separates two statements (a `;` inside a string or comment is not a token of its own)."
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [f"{path}:{tok.start[0]}: statements chained with ';'" for tok in tokens
            if tok.type == tokenize.OP and tok.string == ";"]


def long_functions(path: Path, text: str, limit: int) -> list:
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            if n > limit:
                out.append(f"{path}:{node.lineno}: function {node.name} has {n} lines (max {limit})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-line", type=int, default=120)
    ap.add_argument("--max-function", type=int, default=60)
    a = ap.parse_args()
    problems = []
    for path in sorted((ROOT / "llm_e2e").rglob("*.py")):
        if path.name == "_modidx.py":
            continue
        text = path.read_text()
        rel = path.relative_to(ROOT)
        problems += long_lines(rel, text, a.max_line)
        problems += chained_statements(rel, text)
        problems += long_functions(rel, text, a.max_function)
    for p in problems:
        print(p)
    print(f"style: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
