"""ctkit.py — helpers shared by the Python tests and benchmarks of the matrix commands:
running the comptext binary named by $COMPTEXT (and timing a child: measure), reading its TSV/CSV/JSON outputs, counting
checks that go on after a failure, and finding the shared corpora ($COMPTEXT_SHARED/corpora),
which may be absent (skip: 77)."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time

COMPTEXT = os.environ.get("COMPTEXT", "comptext")
SOURCE = os.environ.get("COMPTEXT_SOURCE", os.path.join(os.path.dirname(__file__), ".."))
SHARED = os.environ.get("COMPTEXT_SHARED", os.path.join(SOURCE, "..", "shared"))
CITIES = os.path.join(SOURCE, "corpora", "cities")
SKIP = 77


def run(args, check=True, input=None):
    """Run comptext with args; return (status, stdout, stderr) as text."""
    p = subprocess.run([COMPTEXT] + list(args), capture_output=True, input=input)
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    if check and p.returncode != 0:
        raise RuntimeError("comptext %s failed (%d): %s" % (" ".join(args), p.returncode, err))
    return p.returncode, out, err


def measure(cmd, env=None):
    """Run cmd in a fresh child, its output thrown away: (wall s, CPU s = user + system,
    peak resident MB, stderr text), from wait4. Raises RuntimeError when cmd fails."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a full pipe would block it
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), code, text[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, text


def unescape_tsv(field):
    """Undo comptext's TSV escaping (\\\\ \\t \\n \\r)."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"\\": "\\", "t": "\t", "n": "\n", "r": "\r", '"': '"'}[field[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_entries(tsv_text):
    """TSV id, term, VALUE (after its header row) → {(id, term): float}, checking that no key
    repeats."""
    entries = {}
    lines = tsv_text.splitlines()
    assert lines and lines[0].split("\t")[:2] == ["id", "term"], "header row %r" % lines[:1]
    for line in lines[1:]:
        doc, term, value = line.split("\t")
        key = (unescape_tsv(doc), unescape_tsv(term))
        assert key not in entries, "entry %r repeated" % (key,)
        entries[key] = float(value)
    return entries


def read_matrix_csv(text):
    """CSV with header ,ID1,ID2,… → (ids, rows as lists of floats)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header[0] == "", "the header must start with an empty cell"
    ids = header[1:]
    assert [r[0] for r in rows[1:]] == ids, "row ids differ from the header's"
    return ids, [[float(x) for x in r[1:]] for r in rows[1:]]


def tokens(corpus_args, extra=()):
    """The documents' ids and tokens as `comptext tokens` prints them."""
    _, out, _ = run(["tokens"] + list(extra) + list(corpus_args))
    ids, toks = [], []
    for line in out.splitlines():
        d = json.loads(line)
        ids.append(d["id"])
        toks.append(d["tokens"])
    return ids, toks


def run_text(*args):
    """Run comptext with args, never raising: the CompletedProcess, stdout and stderr as text."""
    return subprocess.run([COMPTEXT, *args], capture_output=True, text=True)


class Checks:
    """A test's assertions that go on after a failure: check(cond, msg) counts, prints FAIL
    with msg when cond is false; finish() prints the tally and exits 1 if any failed."""

    def __init__(self):
        self.checks = self.failures = 0

    def check(self, cond, msg):
        self.checks += 1
        if not cond:
            self.failures += 1
            print("FAIL:", msg)

    def finish(self):
        print(f"{self.checks} checks, {self.failures} failed")
        sys.exit(1 if self.failures else 0)


def shared_corpora():
    """The shared corpora directory, or None when absent."""
    path = os.path.join(SHARED, "corpora")
    return path if os.path.isdir(path) else None


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)
