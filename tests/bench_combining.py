#!/usr/bin/python3
"""bench_combining.py — time of NFKC on long runs of combining marks (issue 14): `comptext
tokens` on one grapheme cluster of 0.25, 0.5, 1 and 2 MB of alternating U+0301/U+0316 (two
combining classes, the worst case for canonical reordering). Linear time shows as a constant
time per MB. Run:  COMPTEXT=build/src/cli/comptext python3 tests/bench_combining.py
"""
import os
import subprocess
import sys
import tempfile
import time

COMPTEXT = os.environ.get("COMPTEXT", "build/src/cli/comptext")
with tempfile.TemporaryDirectory(prefix="ct-bench-") as root:
    for mb in (0.25, 0.5, 1, 2):
        path = os.path.join(root, "m.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("社区" + "\u0301\u0316" * int(mb * 1024 * 1024 / 4) + "建设\n")
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([COMPTEXT, "tokens", path], stdout=subprocess.DEVNULL, check=True)
            t = time.perf_counter() - t0
            best = t if best is None else min(best, t)
        print("%5.2f MB of combining marks: %.3f s (%.3f s/MB)" % (mb, best, best / mb))
sys.exit(0)
