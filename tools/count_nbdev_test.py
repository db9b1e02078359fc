"""Count notebooks passed / failed from the output of `nbdev_test --do_print` (prints 'PASSED FAILED').
A notebook fails when nbdev's closing list names it, or when its traceback header ('SomeError in .../nb.ipynb:') is
in the log: the closing list can be lost (a full disk, a killed run) while the traceback was already written."""
import re, sys
log, rc = open(sys.argv[1], errors="replace").read(), int(sys.argv[2])
started = set(re.findall(r"^Starting (\S+\.ipynb)", log, re.M))
failed = {p.rsplit("/", 1)[-1] for p in re.findall(r"^\w+ in (\S+\.ipynb):$", log, re.M)}
if "Failed On The Following Notebooks" in log:
    tail = log.split("Failed On The Following Notebooks", 1)[1]
    failed |= {l.strip() for l in tail.splitlines() if l.strip().endswith(".ipynb")}
names = {s.rsplit("/", 1)[-1] for s in started}
if rc != 0 and not failed: failed = {"nbdev_test (exit %d)" % rc}   # crashed before reporting
for n in sorted(names): print(("FAIL " if n in failed else "PASS ") + n, file=sys.stderr)
print(len(names - failed), len(failed) if names or failed else 1)
