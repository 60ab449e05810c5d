#!/usr/bin/python3
"""bad_input2.py — the bad-input catalogue, second part (issue 14): classes of bad input that
need more than a table row of bad_input.py — memory caps, outputs that overlap inputs, paths
that leave the corpus, non-regular files, interrupted and concurrent runs, pathological
Unicode, hostile ids, messages.

Each test is a function that checks a class (several examples of it) and returns None, or a
string starting with "skipped" when the machine cannot run it; a failure raises Failure.
Run:  COMPTEXT=build/src/cli/comptext /usr/bin/python3 tests/bad_input2.py [-v] [-k SUBSTRING]
"""
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bad_input as bi  # noqa: E402  (make_files, FIFO, GOOD_A, GOOD_B)

COMPTEXT = os.environ.get("COMPTEXT", "")
VERBOSE = "-v" in sys.argv
ONLY = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None
TIMEOUT = 120
GOOD_A, GOOD_B, FIFO = bi.GOOD_A, bi.GOOD_B, bi.FIFO
make_files = bi.make_files


class Failure(Exception):
    pass


def run(argv, cwd, stdin=None, cap=None, timeout=TIMEOUT, env=None):
    """Run comptext; cap: an address-space limit in bytes (ulimit -v)."""
    def limit():
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    e = dict(os.environ)
    if env:
        e.update(env)
    try:
        p = subprocess.run([COMPTEXT] + argv, cwd=cwd, input=stdin if stdin is not None else b"",
                           capture_output=True, timeout=timeout, preexec_fn=limit, env=e)
    except subprocess.TimeoutExpired:
        raise Failure("hung: no exit within %d s: %s" % (timeout, argv))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(status, want, err, what=""):
    if status < 0 or status >= 126:
        raise Failure("%s: killed or crashed (status %d)\n%s" % (what, status, err))
    if status != want:
        raise Failure("%s: exit status %d, expected %d\n%s" % (what, status, want, err))
    if status and not err.strip():
        raise Failure("%s: exit status %d without a message" % (what, status))


def match(pattern, err, what=""):
    if not re.search(pattern, err):
        raise Failure("%s: stderr does not match %r:\n%s" % (what, pattern, err))


def similarity_ids(out):
    """The ids of a similarity CSV (its header row)."""
    first = out.split("\n", 1)[0]
    return first.split(",")[1:]


def leftovers(root):
    return [os.path.join(d, n) for d, dirs, names in os.walk(root) for n in names + dirs
            if ".tmp-" in n or n.startswith(".ct-")]


# --- a. silent loss ----------------------------------------------------------------------------

MB = 1024 * 1024
CAPS = [60 * MB, 100 * MB, 150 * MB, 300 * MB, 1024 * MB]


def silent_loss_jsonl():
    """A JSON Lines file whose second record is large, under address-space caps: either all
    three records are read, or the run fails (exit 1) naming the file — never fewer records
    with exit 0. At some cap, the failure is reading record 2, and it says so."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        with open(os.path.join(root, "big.jsonl"), "w") as f:
            f.write(json.dumps({"id": "a", "text": "社区建设"}) + "\n")
            f.write(json.dumps({"id": "b", "text": "x" * (40 * MB)}) + "\n")
            f.write(json.dumps({"id": "c", "text": "社区服务"}) + "\n")
        seen_line2 = False
        for cap in CAPS:
            status, out, err = run(["similarity", "--threads", "1", "big.jsonl"], root, cap=cap)
            what = "similarity under a %d MB cap" % (cap // MB)
            if status == 0:
                ids = similarity_ids(out)
                if ids != ["a", "b", "c"]:
                    raise Failure("%s: exit 0 with ids %s (records lost)" % (what, ids))
            else:
                expect(status, 1, err, what)
                match(r"big\.jsonl", err, what)
                match(r"out of memory", err, what)
                seen_line2 = seen_line2 or re.search(r"big\.jsonl:2: out of memory", err)
        if not seen_line2:
            return "skipped: no cap made reading record 2 fail on this machine"
    return None


def silent_loss_dict():
    """The --dict reader: a long second line under caps is an error naming the file, never a
    shorter dictionary."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"a.txt": GOOD_A})
        with open(os.path.join(root, "dict.txt"), "w") as f:
            f.write("社区\n" + "建" * (20 * MB) + "\n建设\n")
        for cap in CAPS:
            status, out, err = run(["terms", "--threads", "1", "--dict", "dict.txt", "a.txt"],
                                   root, cap=cap)
            what = "terms --dict under a %d MB cap" % (cap // MB)
            # The second line is not a valid dictionary term (2 to 31 characters): whatever
            # the cap, the run must fail, naming the dictionary.
            expect(status, 1, err, what)
            match(r"dict\.txt", err, what)
    return None


def endless_nul_inputs():
    """/dev/zero (or any NUL-containing input) as corpus, stopword list, manifest, --dict or
    standard input stops at the first NUL with a message naming the byte offset — under a
    memory cap that reading it to its end would exceed."""
    if not os.path.exists("/dev/zero"):
        return "skipped: no /dev/zero"
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"a.txt": GOOD_A, "c/a.txt": GOOD_A})
        os.symlink("/dev/zero", os.path.join(root, "c", "manifest.tsv"))
        os.symlink("/dev/zero", os.path.join(root, "z.jsonl"))
        cases = [
            (["tokens", "/dev/zero"], r"/dev/zero(:1:|: byte offset 0:) NUL byte"),
            (["tokens", "--stopwords", "/dev/zero", "a.txt"], r"/dev/zero(:1:|: byte offset 0:) NUL"),
            (["tokens", "c"], r"c/manifest\.tsv(:1:|: byte offset 0:) NUL"),
            (["terms", "--dict", "/dev/zero", "a.txt"], r"/dev/zero:1: NUL byte.*byte offset 0"),
            (["tokens", "z.jsonl"], r"z\.jsonl:1: invalid JSON at column 1: NUL byte.*byte offset 0"),
        ]
        for argv, pattern in cases:
            status, _, err = run(argv, root, cap=200 * MB, timeout=60)
            expect(status, 1, err, " ".join(argv))
            match(pattern, err, " ".join(argv))
        with open("/dev/zero", "rb") as zero:
            p = subprocess.run([COMPTEXT, "tokens", "-"], cwd=root, stdin=zero, capture_output=True,
                               timeout=60, preexec_fn=lambda: resource.setrlimit(
                                   resource.RLIMIT_AS, (200 * MB, 200 * MB)))
        err = p.stderr.decode("utf-8", "replace")
        expect(p.returncode, 1, err, "tokens - < /dev/zero")
        match(r"-(:1:|: byte offset 0:) NUL byte", err, "tokens - < /dev/zero")
    return None


# --- e. non-regular files ----------------------------------------------------------------------

def feed_fifo(path, data, stop):
    """Write data into the named pipe each time a reader opens it (until stop is set)."""
    def loop():
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.01)
                continue
            os.set_blocking(fd, True)
            try:
                os.write(fd, data)
            except OSError:
                pass
            os.close(fd)
            time.sleep(0.2)
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def fifo_inputs():
    """A named pipe as a .jsonl corpus, a text corpus or a manifest is read once: the run
    ends with the same output as for the regular file."""
    recs = '{"id": "a", "text": "社区建设"}\n{"id": "b", "text": "城乡社区"}\n'.encode()
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"x.jsonl": recs, "p.jsonl": FIFO, "t.txt": GOOD_A, "q.txt": FIFO,
                          "c/a.txt": GOOD_A, "c/b.txt": GOOD_B, "c/manifest.tsv": FIFO,
                          "d/a.txt": GOOD_A, "d/b.txt": GOOD_B,
                          "d/manifest.tsv": b"file\tid\na.txt\tA\nb.txt\tB\n"})
        for fifo, data, argv, ref in (
                ("p.jsonl", recs, ["similarity", "--strip-chrome", "p.jsonl"],
                 ["similarity", "--strip-chrome", "x.jsonl"]),
                ("q.txt", GOOD_A, ["tokens", "--strip-chrome", "q.txt"], ["tokens", "t.txt"]),
                ("c/manifest.tsv", b"file\tid\na.txt\tA\nb.txt\tB\n", ["similarity", "c"],
                 ["similarity", "d"])):
            stop = threading.Event()
            feed_fifo(os.path.join(root, fifo), data, stop)
            try:
                status, out, err = run(argv, root, timeout=30)
            finally:
                stop.set()
            expect(status, 0, err, " ".join(argv))
            s2, ref_out, e2 = run(ref, root)
            expect(s2, 0, e2, " ".join(ref))
            if fifo == "q.txt":
                ref_out = ref_out.replace('"t"', '"q"')
            if out != ref_out:
                raise Failure("%s: output %r differs from the regular file's %r"
                              % (" ".join(argv), out[:200], ref_out[:200]))
    return None


def replaced_during_run():
    """A JSON Lines file replaced (mv) while a run reads it: the output is that of one version
    (the one opened), never a mix. The file is replaced while the run waits on a named pipe
    that is its second corpus argument."""
    v1 = b'{"id": "a", "text": "' + "社区建设".encode() * 50 + b'"}\n{"id": "b", "text": "x"}\n'
    v2 = b'{"id": "a", "text": "' + "城乡服务".encode() * 50 + b'"}\n{"id": "b", "text": "y"}\n'
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"x.jsonl": v1, "v2.jsonl": v2, "p.txt": FIFO,
                          "ref/x.jsonl": v1, "ref/p.txt": GOOD_A})
        s1, ref1, e1 = run(["tf", "x.jsonl", "p.txt"], os.path.join(root, "ref"))
        expect(s1, 0, e1, "tf on version 1")
        fifo = os.path.join(root, "p.txt")

        def feeder():
            fd = os.open(fifo, os.O_WRONLY)  # blocks until comptext opens the pipe
            os.rename(os.path.join(root, "v2.jsonl"), os.path.join(root, "x.jsonl"))
            os.write(fd, GOOD_A)
            os.close(fd)
        t = threading.Thread(target=feeder, daemon=True)
        t.start()
        status, out, err = run(["tf", "x.jsonl", "p.txt"], root, timeout=30)
        t.join(5)
        expect(status, 0, err, "tf with x.jsonl replaced during the run")
        if out != ref1:
            raise Failure("output is not version 1's (the file read):\n%s\nversion 1:\n%s"
                          % (out[:300], ref1[:300]))
    return None


# --- b. outputs that destroy inputs -----------------------------------------------------------

def output_is_input():
    """-o naming an input — the same path, the same file through a link or a hard link, the
    manifest, the stopword list, the dictionary, the corpus folder, or (compare) a directory
    containing an input — is refused with exit 2, and the input is left as it was."""
    files = {"s.txt": GOOD_A, "c/a.txt": GOOD_A, "c/b.txt": GOOD_B,
             "m/a.txt": GOOD_A, "m/b.txt": GOOD_B, "m/manifest.tsv": b"file\tid\na.txt\tA\n",
             "sw.txt": "的\n".encode(), "dict.txt": "社区\n".encode(),
             "x.jsonl": b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n'}
    cases = [
        (["ngrams", "s.txt", "-o", "s.txt"], "s.txt"),
        (["ngrams", "./s.txt", "-o", "s.txt"], "s.txt"),
        (["ngrams", "l.txt", "-o", "s.txt"], "s.txt"),     # through a symbolic link
        (["ngrams", "s.txt", "-o", "h.txt"], "s.txt"),     # a hard link to the input
        (["tokens", "c", "-o", "c/a.txt"], "c/a.txt"),
        (["tf", "m", "-o", "m/manifest.tsv"], "m/manifest.tsv"),
        (["tfidf", "--stopwords", "sw.txt", "c", "-o", "sw.txt"], "sw.txt"),
        (["terms", "--dict", "dict.txt", "c", "-o", "dict.txt"], "dict.txt"),
        (["similarity", "x.jsonl", "-o", "x.jsonl"], "x.jsonl"),
        (["compare", "c", "-o", "c"], "c/a.txt"),
        (["compare", "c/a.txt", "c/b.txt", "-o", "."], "c/a.txt"),
        (["compare", "m", "-o", "m"], "m/manifest.tsv"),
    ]
    for argv, victim in cases:
        with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
            make_files(root, files)
            os.symlink("s.txt", os.path.join(root, "l.txt"))
            os.link(os.path.join(root, "s.txt"), os.path.join(root, "h.txt"))
            with open(os.path.join(root, victim), "rb") as f:
                before = f.read()
            listing = sorted(os.listdir(root))
            status, _, err = run(argv, root)
            what = " ".join(argv)
            expect(status, 2, err, what)
            match(r"-o .* (is|contains) the input", err, what)
            with open(os.path.join(root, victim), "rb") as f:
                if f.read() != before:
                    raise Failure("%s: the input %s was changed" % (what, victim))
            if sorted(os.listdir(root)) != listing or leftovers(root):
                raise Failure("%s: left %s" % (what, sorted(set(os.listdir(root)) - set(listing))))
    # Not an input: a new file beside the corpus, and -o into the corpus folder under
    # another name, are fine.
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, files)
        for argv in (["ngrams", "s.txt", "-o", "out.tsv"], ["ngrams", "c", "-o", "c/out.tsv"]):
            status, _, err = run(argv, root)
            expect(status, 0, err, " ".join(argv))
    return None


TESTS = [
    ("a. JSON Lines record too large for memory: error, never a shorter corpus", silent_loss_jsonl),
    ("a. --dict line too large for memory: error naming the file", silent_loss_dict),
    ("b. -o naming an input is refused (exit 2)", output_is_input),
    ("e. NUL-containing endless inputs stop at the first NUL", endless_nul_inputs),
    ("e. named pipes as .jsonl, text file and manifest", fifo_inputs),
    ("e. a JSON Lines file replaced during the run", replaced_during_run),
]


def main():
    if not COMPTEXT or not os.path.exists(COMPTEXT):
        print("COMPTEXT is not set to the comptext binary", file=sys.stderr)
        return 1
    passed = failed = skipped = 0
    for label, fn in TESTS:
        if ONLY and ONLY not in label:
            continue
        t0 = time.time()
        try:
            why = fn()
        except Failure as e:
            failed += 1
            print("FAIL %s\n     %s" % (label, str(e).replace("\n", "\n     ")))
            continue
        if why:
            skipped += 1
            print("skip %s (%s)" % (label, why))
        else:
            passed += 1
            if VERBOSE:
                print("ok   %s (%.1f s)" % (label, time.time() - t0))
    print("bad-input catalogue, part 2: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
