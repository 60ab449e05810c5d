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
import unicodedata

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
    err = p.stderr.decode("utf-8", "replace")
    if re.search(r"runtime error:|ERROR: (Address|Leak|Memory|Thread)Sanitizer", err):
        raise Failure("sanitizer report: %s\n%s" % (argv, err))
    return p.returncode, p.stdout.decode("utf-8", "replace"), err


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

_caps = []


def caps_usable():
    """Whether comptext runs under an address-space cap at all (a sanitizer build does not:
    its shadow memory needs terabytes of address space)."""
    if not _caps:
        cap = 200 * 1024 * 1024
        p = subprocess.run([COMPTEXT, "--version"], capture_output=True, timeout=60,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
        _caps.append(p.returncode == 0)
    return _caps[0]


MB = 1024 * 1024
CAPS = [60 * MB, 100 * MB, 150 * MB, 300 * MB, 1024 * MB]


def silent_loss_jsonl():
    """A JSON Lines file whose second record is large, under address-space caps: either all
    three records are read, or the run fails (exit 1) naming the file — never fewer records
    with exit 0. At some cap, the failure is reading record 2, and it says so."""
    if not caps_usable():
        return "skipped: comptext does not run under ulimit -v (a sanitizer build?)"
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
    if not caps_usable():
        return "skipped: comptext does not run under ulimit -v (a sanitizer build?)"
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
            status, _, err = run(argv, root, cap=200 * MB if caps_usable() else None, timeout=60)
            expect(status, 1, err, " ".join(argv))
            match(pattern, err, " ".join(argv))
        use_cap = caps_usable()
        with open("/dev/zero", "rb") as zero:
            p = subprocess.run([COMPTEXT, "tokens", "-"], cwd=root, stdin=zero, capture_output=True,
                               timeout=60, preexec_fn=lambda: use_cap and resource.setrlimit(
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


# --- c. directory outputs ----------------------------------------------------------------------

def small_corpus(root, name, n, salt):
    """A folder of n short documents (different for different salts)."""
    chars = "社区建设服务城乡和谐发展经济改革创新政府工作报告人民生活"
    for i in range(n):
        text = "".join(chars[(i * 7 + j * (salt + 3)) % len(chars)] for j in range(40 + i))
        make_files(root, {"%s/d%02d.txt" % (name, i): (text + "\n").encode()})


def snapshot(d):
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                out[n] = f.read()
        else:
            out[n] = None
    return out


def compare_concurrent():
    """Two compare runs into one existing DIR at the same time: afterwards every file in DIR
    comes from one and the same run (never a mix), both exit 0, no temporaries left."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 6, 1)
        small_corpus(root, "b", 7, 2)
        refs = {}
        for name in "ab":
            status, _, err = run(["compare", "--quiet", name, "-o", "ref-" + name], root)
            expect(status, 0, err, "compare " + name)
            refs[name] = snapshot(os.path.join(root, "ref-" + name))
        out = os.path.join(root, "out")
        os.mkdir(out)
        with open(os.path.join(out, "mine.txt"), "wb") as f:
            f.write(b"a file of the user's")
        for trial in range(20):
            procs = [subprocess.Popen([COMPTEXT, "compare", "--quiet", name, "-o", "out"], cwd=root,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                     for name in ("ab" if trial % 2 else "ba")]
            for p in procs:
                err = p.communicate(timeout=TIMEOUT)[1].decode("utf-8", "replace")
                expect(p.returncode, 0, err, "concurrent compare")
            got = snapshot(out)
            mine = got.pop("mine.txt", None)
            if mine != b"a file of the user's":
                raise Failure("trial %d: a file of the user's in DIR was touched" % trial)
            if got != refs["a"] and got != refs["b"]:
                mixed = sorted(n for n in got if got[n] != refs["a"].get(n))
                raise Failure("trial %d: DIR mixes the two runs (files not from run a: %s)"
                              % (trial, mixed))
            if leftovers(root):
                raise Failure("trial %d: left %s" % (trial, leftovers(root)))
    return None


def compare_all_or_nothing():
    """A failure while moving the files into an existing DIR (one target is a directory)
    leaves every file of DIR as it was; exit 1 naming the target."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 6, 1)
        small_corpus(root, "b", 7, 2)
        status, _, err = run(["compare", "--quiet", "a", "-o", "out"], root)
        expect(status, 0, err, "compare a")
        os.remove(os.path.join(root, "out", "report.html"))
        make_files(root, {"out/report.html/x": b"x"})  # a target that cannot be replaced
        before = snapshot(os.path.join(root, "out"))
        status, _, err = run(["compare", "--quiet", "b", "-o", "out"], root)
        expect(status, 1, err, "compare into a DIR with report.html a directory")
        match(r"out/report\.html: cannot write: Is a directory", err)
        if snapshot(os.path.join(root, "out")) != before:
            raise Failure("DIR was partly replaced after a failure")
        if leftovers(root):
            raise Failure("left %s" % leftovers(root))
    return None


def compare_summary_fails():
    """Standard output full (the summary cannot be written): exit 1 naming standard output,
    and nothing replaced (an existing DIR as it was, a new DIR not made)."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 6, 1)
        small_corpus(root, "b", 7, 2)
        status, _, err = run(["compare", "--quiet", "a", "-o", "out"], root)
        expect(status, 0, err, "compare a")
        before = snapshot(os.path.join(root, "out"))
        for target in ("out", "new"):
            with open("/dev/full", "wb") as full:
                p = subprocess.run([COMPTEXT, "compare", "b", "-o", target], cwd=root,
                                   stdout=full, stderr=subprocess.PIPE, timeout=TIMEOUT)
            err = p.stderr.decode("utf-8", "replace")
            expect(p.returncode, 1, err, "compare > /dev/full")
            match(r"standard output: write failed: No space left on device", err)
        if snapshot(os.path.join(root, "out")) != before:
            raise Failure("DIR was replaced although the summary could not be written")
        if os.path.exists(os.path.join(root, "new")):
            raise Failure("a new DIR was made although the summary could not be written")
        if leftovers(root):
            raise Failure("left %s" % leftovers(root))
    return None


def long_output_names():
    """Output names of 246 to 255 bytes work (the temporary names are short), for a new and
    an existing directory and for a file output."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 4, 1)
        for n in (246, 250, 255):
            name = "d" * n
            for attempt in ("new", "existing"):
                status, _, err = run(["compare", "--quiet", "a", "-o", name], root)
                expect(status, 0, err, "compare -o <%d bytes> (%s)" % (n, attempt))
            status, _, err = run(["ngrams", "a", "-o", "f" * n], root)
            expect(status, 0, err, "ngrams -o <%d bytes>" % n)
            status, _, err = run(["ngrams", "a", "-o", "f" * n], root)
            expect(status, 0, err, "ngrams -o <%d bytes> (existing)" % n)
            if not os.path.getsize(os.path.join(root, "f" * n)):
                raise Failure("empty output")
        if leftovers(root):
            raise Failure("left %s" % leftovers(root))
    return None


def mount_point_output():
    """compare -o DIR where DIR is a mount point (another file system than its parent) whose
    parent is read-only: the stage goes inside DIR, so this works."""
    if os.geteuid() != 0:
        return "skipped: mounting needs root"
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 4, 1)
        parent = os.path.join(root, "p")
        os.mkdir(parent)
        if not bi.mount_tmpfs(parent, "size=4m"):
            return "skipped: cannot mount a tmpfs here"
        try:
            os.mkdir(os.path.join(parent, "dir"))
            if not bi.mount_tmpfs(os.path.join(parent, "dir"), "size=4m"):
                return "skipped: cannot mount a tmpfs here"
            try:
                subprocess.run(["mount", "-o", "remount,ro", parent], check=True,
                               capture_output=True)
                for attempt in ("empty", "existing"):
                    status, _, err = run(["compare", "--quiet", "a", "-o", "p/dir"], root)
                    expect(status, 0, err, "compare -o a mount point (%s)" % attempt)
                if "report.html" not in os.listdir(os.path.join(parent, "dir")):
                    raise Failure("no report.html on the mount point")
                if leftovers(parent):
                    raise Failure("left %s" % leftovers(parent))
            finally:
                subprocess.run(["umount", os.path.join(parent, "dir")], check=False)
        finally:
            subprocess.run(["umount", parent], check=False)
    return None


def signals_leave_nothing():
    """SIGINT, SIGTERM and SIGHUP at various moments of a run: the process dies of the signal
    (or has finished), and no temporary file or directory is left — for compare (a stage
    directory) and for a file output."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        small_corpus(root, "a", 60, 1)
        make_files(root, {"big.txt": "社区建设和谐城乡".encode() * 400000})
        t0 = time.time()
        run(["compare", "--quiet", "a", "-o", "timing"], root)
        slow = max(time.time() - t0, 0.05)
        shutil.rmtree(os.path.join(root, "timing"), ignore_errors=True)
        runs = 0
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            for frac in (0.2, 0.5, 0.8, 0.95):
                for argv, delay in ((["compare", "--quiet", "a", "-o", "out"], slow * frac),
                                    (["ngrams", "-n", "1-4", "big.txt", "-o", "f.tsv"],
                                     0.3 * frac)):
                    p = subprocess.Popen([COMPTEXT] + argv, cwd=root, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE)
                    time.sleep(delay)
                    p.send_signal(sig)
                    p.communicate(timeout=TIMEOUT)
                    runs += 1
                    if p.returncode not in (0, -sig):
                        raise Failure("%s after %s: exit status %d" % (argv, sig.name, p.returncode))
                    if leftovers(root):
                        raise Failure("%s: %s at %.2f s left %s" % (" ".join(argv), sig.name,
                                                                    delay, leftovers(root)))
    return None


# --- d. paths ----------------------------------------------------------------------------------

def tokens_ids(out):
    return [json.loads(line)["id"] for line in out.splitlines() if line.strip()]


def paths_outside():
    """Manifest rows (relative with .., absolute, through a link) and symbolic links (to a
    file, to a directory) that lead out of the corpus folder are refused, naming the row or
    the link; --follow-outside reads them."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"secret.md": GOOD_B, "outside/s.txt": GOOD_B})
        secret = os.path.join(root, "secret.md")
        cases = []
        for n, row in enumerate(("../secret.md", secret, "../../../../../../" + secret.lstrip("/"),
                                 "lnk.md")):
            c = "m%d" % n
            make_files(root, {c + "/a.txt": GOOD_A,
                              c + "/manifest.tsv": ("file\tid\na.txt\tA\n%s\tS\n" % row).encode()})
            if row == "lnk.md":
                os.symlink(secret, os.path.join(root, c, "lnk.md"))
            cases.append((c, r"%s/manifest\.tsv:3: .*(leads out of the corpus folder|outside the "
                          r"corpus folder).*--follow-outside" % c))
        make_files(root, {"l1/a.txt": GOOD_A, "l2/a.txt": GOOD_A})
        os.symlink(os.path.join(root, "outside", "s.txt"), os.path.join(root, "l1", "s.txt"))
        os.symlink(os.path.join(root, "outside"), os.path.join(root, "l2", "sub"))
        cases.append(("l1", r"l1/s\.txt: this symbolic link leads out of the corpus folder"))
        cases.append(("l2", r"l2/sub: this symbolic link leads out of the corpus folder"))
        for corpus, pattern in cases:
            status, out, err = run(["tokens", corpus], root)
            expect(status, 1, err, "tokens " + corpus)
            match(pattern, err, "tokens " + corpus)
            status, out, err = run(["tokens", "--follow-outside", corpus], root)
            expect(status, 0, err, "tokens --follow-outside " + corpus)
            if len(tokens_ids(out)) != 2:
                raise Failure("--follow-outside %s: ids %s" % (corpus, tokens_ids(out)))
        # Links that stay inside the folder are fine.
        make_files(root, {"in/a.txt": GOOD_A, "in/sub/b.txt": GOOD_B})
        os.symlink("sub", os.path.join(root, "in", "alias"))
        status, out, err = run(["tokens", "in"], root)
        expect(status, 0, err, "tokens in")
    return None


def fan_out_links():
    """Directory links that fan out (no loop) — k levels of two links each to the next level
    — and a loop: each real file is read once, by device and inode (not 2^k times)."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        k = 20
        base = os.path.join(root, "c")
        os.makedirs(os.path.join(base, "l%d" % k))
        make_files(root, {"c/l%d/doc.txt" % k: GOOD_A, "c/top.txt": GOOD_B})
        for i in range(k - 1, -1, -1):
            os.makedirs(os.path.join(base, "l%d" % i))
            os.symlink("../l%d" % (i + 1), os.path.join(base, "l%d" % i, "x"))
            os.symlink("../l%d" % (i + 1), os.path.join(base, "l%d" % i, "y"))
        os.symlink("..", os.path.join(base, "l0", "loop"))
        t0 = time.time()
        status, out, err = run(["tokens", "c"], root, timeout=60)
        expect(status, 0, err, "tokens on fan-out links")
        ids = tokens_ids(out)
        if ids != ["l%d/doc" % k, "top"]:
            raise Failure("expected the 2 documents under their real paths, got %d: %s"
                          % (len(ids), ids[:5]))
        if ids != tokens_ids(run(["tokens", "c"], root)[1]):
            raise Failure("the ids differ between two runs")
    return None


def long_relative_path():
    """A relative path over PATH_MAX below the corpus folder is an error naming the folder,
    not a silent skip."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"c/a.txt": GOOD_A})
        d = os.path.join(root, "c")
        fd = os.open(d, os.O_RDONLY)
        try:
            depth = 0
            while depth * 201 < 4200:  # mkdir relative to a descriptor: no path limit
                os.mkdir("n" * 200, dir_fd=fd)
                nfd = os.open("n" * 200, os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = nfd
                depth += 1
            wfd = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(wfd, GOOD_B)
            os.close(wfd)
        finally:
            os.close(fd)
        status, _, err = run(["tokens", "c"], root)
        expect(status, 1, err, "tokens on a folder with a path over PATH_MAX")
        match(r"c\S*: .*too long", err)
        subprocess.run(["rm", "-rf", d], check=False)
    return None


def non_utf8_names():
    """File names that are not UTF-8 (GBK) give ids that are valid UTF-8, with the bad bytes
    as \\xNN: JSON outputs work, and keep their "id"."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        gbk = "社区".encode("gbk")
        os.mkdir(os.path.join(root.encode(), b"c"))
        for name, data in ((gbk + b".txt", GOOD_A), (b"ok.txt", GOOD_B)):
            with open(os.path.join(root.encode(), b"c", name), "wb") as f:
                f.write(data)
        status, out, err = run(["tokens", "c"], root)
        expect(status, 0, err, "tokens on GBK file names")
        ids = tokens_ids(out)
        want = "".join("\\x%02X" % b for b in gbk)
        if ids != ["ok", want]:  # byte order of the file names: 0xC9 after "o"
            raise Failure("ids %r, expected %r" % (ids, ["ok", want]))
        for cmd in (["themes", "c"], ["similarity", "c"], ["tf", "--format", "json", "c"]):
            status, out, err = run(cmd, root)
            expect(status, 0, err, " ".join(cmd))
            if want not in out and json.dumps(want)[1:-1] not in out:
                raise Failure("%s: the escaped id is missing from the output" % cmd)
            if cmd[0] == "themes" and [r["id"] for r in json.loads(out)] != ["ok", want]:
                raise Failure("themes: ids %s" % [r["id"] for r in json.loads(out)])
        status, _, err = run(["compare", "--quiet", "c", "-o", "out"], root)
        expect(status, 0, err, "compare on GBK file names")
    return None


# --- f. pathological Unicode ---------------------------------------------------------------------

def combining_marks():
    """1 MB of combining marks of two classes in one grapheme cluster (canonical reordering
    was quadratic: 160 KB took 25 s): every command finishes within 20 s; a short cluster is
    still normalised as Python's NFKC does it (reordered, then composed)."""
    marks = "\u0301\u0316" * (MB // 4)  # 2 bytes a mark: 1 MB
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"m.txt": ("社区" + marks + "建设\n").encode(), "n.txt": GOOD_A,
                          "k.txt": GOOD_B, "s.txt": "e\u0301\u0316x\n".encode()})
        times = []
        for argv in (["tokens", "m.txt"], ["ngrams", "m.txt"], ["tf", "m.txt"],
                     ["tfidf", "m.txt"], ["similarity", "m.txt", "n.txt"],
                     ["themes", "m.txt", "n.txt"], ["terms", "m.txt"],
                     ["kwic", "--term", "社区", "m.txt"],
                     ["keyness", "--target", "k", "m.txt", "n.txt", "k.txt"],
                     ["compare", "--quiet", "m.txt", "n.txt", "k.txt", "-o", "out"]):
            t0 = time.time()
            status, _, err = run(argv, root, timeout=20)
            times.append("%s %.2f s" % (argv[0], time.time() - t0))
            if status not in (0, 1) or (status == 1 and argv[0] != "keyness"):
                raise Failure("%s: exit status %d\n%s" % (argv[0], status, err))
        status, out, err = run(["tokens", "-n", "1", "s.txt"], root)
        expect(status, 0, err, "tokens s.txt")
        want = unicodedata.normalize("NFKC", "e\u0301\u0316x")  # Python's NFKC as the peer
        if json.loads(out)["tokens"][0] != want:
            raise Failure("short cluster: %r, Python's NFKC gives %r"
                          % (json.loads(out)["tokens"], want))
        if VERBOSE:
            print("     1 MB of combining marks: " + ", ".join(times))
    return None


# --- g. hostile ids -----------------------------------------------------------------------------

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def hostile_ids():
    """Terminal escape sequences in file names and ids never reach the terminal raw (compare's
    summary, error messages, notes); ids with U+FFFE, U+FFFF, other non-characters and C0/C1
    controls give well-formed SVG files and an HTML report without them; report.html names
    sources relative to the corpus, never where it lies on disk."""
    import xml.etree.ElementTree as ET
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        esc = "\x1b]0;owned\x07\x1b[31m"
        make_files(root, {"c/" + esc + "a.txt": GOOD_A, "c/b\x9bx.txt": GOOD_B,
                          "c/c.txt": "城乡社区服务建设。\n".encode()})
        corpus = os.path.join(root, "c")  # absolute: it must not show in report.html
        status, out, err = run(["compare", corpus, "-o", "out"], root)
        expect(status, 0, err, "compare on hostile file names")
        for stream, text in (("stdout", out), ("stderr", err)):
            if RAW_CONTROL.search(text):
                raise Failure("raw control characters on %s: %r" % (stream, text[:300]))
        if "\\x1B]0;owned" not in out:
            raise Failure("the escaped id is not in the summary: %r" % out[:300])
        with open(os.path.join(root, "out", "report.html"), encoding="utf-8") as f:
            html = f.read()
        if root in html:
            raise Failure("report.html names the absolute path %s" % root)
        # A message quoting a hostile name: a duplicate id.
        make_files(root, {"d/" + esc + "a.txt": GOOD_A})
        status, _, err = run(["tokens", "c", "d"], root)
        expect(status, 1, err, "duplicate hostile ids")
        if RAW_CONTROL.search(err):
            raise Failure("raw control characters in the message: %r" % err)
        recs = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in (
            ("a\ufffe", "社区建设取得成效"), ("b\uffff", "城乡社区服务"), ("c\ufdd0\u0001", "和谐社区建设"),
            ("d\U0001fffe\u0085<&>", "社区服务建设")))
        make_files(root, {"x.jsonl": recs.encode()})
        status, out, err = run(["compare", "x.jsonl", "-o", "out2"], root)
        expect(status, 0, err, "compare on non-character ids")
        for name in ("heatmap.svg", "dendrogram.svg", "map.svg"):
            try:
                ET.parse(os.path.join(root, "out2", name))
            except ET.ParseError as e:
                raise Failure("%s is not well-formed XML: %s" % (name, e))
        with open(os.path.join(root, "out2", "report.html"), encoding="utf-8") as f:
            html = f.read()
        bad = re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe]", html)
        if bad:
            raise Failure("report.html holds %r" % bad.group())
    return None


# --- h. messages ---------------------------------------------------------------------------------

def big_corpus(root, name="big", docs=20, chars=20000, seed=1):
    import random
    rnd = random.Random(seed)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    for i in range(docs):
        make_files(root, {"%s/d%02d.txt" % (name, i):
                          "".join(rnd.choice(alphabet) for _ in range(chars)).encode()})


ALL_COMMANDS = [["tokens"], ["ngrams"], ["tf"], ["tf", "--format", "json"], ["tfidf"],
                ["tfidf", "--format", "json"], ["similarity"], ["similarity", "--format", "json"],
                ["similarity", "--top", "3"], ["themes"], ["terms"], ["kwic", "--term", "一"],
                ["keyness", "--target", "d00"]]


def stdout_full_big():
    """Standard output on a full device, with outputs far larger than any buffer (so the
    writers themselves fail, not the final flush): the system's reason with the output's
    name, for every command."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        big_corpus(root)
        for argv in ALL_COMMANDS:
            with open("/dev/full", "wb") as full:
                p = subprocess.run([COMPTEXT] + argv + ["big"], cwd=root, stdout=full,
                                   stderr=subprocess.PIPE, timeout=TIMEOUT)
            err = p.stderr.decode("utf-8", "replace")
            expect(p.returncode, 1, err, " ".join(argv) + " > /dev/full")
            match(r"standard output: write failed: No space left on device", err,
                  " ".join(argv) + " > /dev/full")
    return None


def bad_environment_and_terms():
    """COMPTEXT_THREADS that is not a number of threads is a usage error (exit 2) for every
    command that reads a corpus; an invalid --term (not UTF-8, empty, white space) too."""
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B})
        for value in ("abc", "0", "65", "4x", "-1"):
            for argv in ALL_COMMANDS + [["compare", "-o", "out"]]:
                argv = [a if a != "d00" else "a" for a in argv]
                status, _, err = run(argv + ["a.txt", "b.txt"], root,
                                     env={"COMPTEXT_THREADS": value})
                expect(status, 2, err, "COMPTEXT_THREADS=%s %s" % (value, argv[0]))
                match(r"COMPTEXT_THREADS", err)
        status, _, err = run(["tf", "a.txt"], root, env={"COMPTEXT_THREADS": "2"})
        expect(status, 0, err, "COMPTEXT_THREADS=2")
        for arg in (b"\xff", b"ab\xc0\xaf", b"", b" ", "\u3000".encode()):
            p = subprocess.run([COMPTEXT.encode(), b"kwic", b"--term", arg, b"a.txt"], cwd=root,
                               capture_output=True, timeout=60)
            expect(p.returncode, 2, p.stderr.decode("utf-8", "replace"), "kwic --term %r" % arg)
    return None


def identical_documents_score_one():
    """Identical documents score 1 within 1e-15 (scikit-learn: 1 - 6e-16), in the matrix and in
    --top, whatever the weighting — with tens of thousands of terms, where dividing by the norm
    alone left 1 - 4e-13."""
    import random
    rnd = random.Random(7)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    text = "".join(rnd.choice(chars[:rnd.choice([50, 300, 3000])]) for _ in range(60000))
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        make_files(root, {"c/a.txt": text.encode(), "c/b.txt": text.encode(),
                          "c/c.txt": text[:30000].encode()})
        for opts in ([], ["--no-idf"], ["--sublinear-tf"], ["-n", "1-6"], ["--norm", "l1"],
                     ["--no-smooth-idf", "--sublinear-tf"]):
            status, out, err = run(["similarity"] + opts + ["c"], root)
            expect(status, 0, err, "similarity %s" % opts)
            row = out.splitlines()[1].split(",")
            if abs(float(row[2]) - 1.0) > 1e-15 or float(row[1]) != 1.0:
                raise Failure("similarity %s: identical documents score %s" % (opts, row[2]))
            status, out, err = run(["similarity", "--top", "1"] + opts + ["c"], root)
            expect(status, 0, err, "similarity --top 1 %s" % opts)
            for line in out.splitlines():
                f = line.split("\t")
                if f[0] in ("a", "b") and (f[1] not in ("a", "b") or abs(float(f[2]) - 1) > 1e-15):
                    raise Failure("similarity --top 1 %s: %r" % (opts, line))
    return None


# --- item 2: memory caps ---------------------------------------------------------------------------

def memory_caps():
    """Under address-space caps from 50 MB to 2 GB, every command (on a folder and on a JSON
    Lines file) either finishes (exit 0) or fails with exit 1 and a message saying it ran out
    of memory, naming the stage and the file or corpus — never a crash, a signal, or a result
    with documents missing; no temporary left behind."""
    if not caps_usable():
        return "skipped: comptext does not run under ulimit -v (a sanitizer build?)"
    with tempfile.TemporaryDirectory(prefix="ct-bad2-") as root:
        big_corpus(root, docs=12, chars=8000)
        with open(os.path.join(root, "big.jsonl"), "w") as f:
            for n in sorted(os.listdir(os.path.join(root, "big"))):
                with open(os.path.join(root, "big", n), encoding="utf-8") as g:
                    f.write(json.dumps({"id": n[:-4], "text": g.read()}, ensure_ascii=False) + "\n")
        results = {}
        for cap in (50 * MB, 120 * MB, 2048 * MB):
            for corpus in ("big", "big.jsonl"):
                for argv in ALL_COMMANDS + [["compare", "--quiet", "-o", "out"]]:
                    if corpus == "big.jsonl" and "--format" in argv:
                        continue
                    shutil.rmtree(os.path.join(root, "out"), ignore_errors=True)
                    status, out, err = run(argv + [corpus], root, cap=cap)
                    what = "%s %s under %d MB" % (" ".join(argv), corpus, cap // MB)
                    results[status] = results.get(status, 0) + 1
                    if status == 0:
                        if argv == ["similarity"] and len(similarity_ids(out)) != 12:
                            raise Failure("%s: %d documents" % (what, len(similarity_ids(out))))
                        continue
                    expect(status, 1, err, what)
                    match(r"out of memory", err, what)
                    match(r"(while [a-z ]+ .*big|big\S*: )", err, what)
                    if leftovers(root):
                        raise Failure("%s: left %s" % (what, leftovers(root)))
        if VERBOSE:
            print("     exit statuses: %s" % results)
    return None


TESTS = [
    ("a. JSON Lines record too large for memory: error, never a shorter corpus", silent_loss_jsonl),
    ("a. --dict line too large for memory: error naming the file", silent_loss_dict),
    ("b. -o naming an input is refused (exit 2)", output_is_input),
    ("c. two compare runs into one DIR: never a mix", compare_concurrent),
    ("c. a failure while moving into DIR replaces nothing", compare_all_or_nothing),
    ("c. the summary cannot be written: nothing replaced", compare_summary_fails),
    ("c. output names of 246-255 bytes", long_output_names),
    ("c. -o on a mount point with a read-only parent", mount_point_output),
    ("c. SIGINT/SIGTERM/SIGHUP leave no temporary behind", signals_leave_nothing),
    ("d. paths leaving the corpus folder are refused", paths_outside),
    ("d. fan-out directory links count each file once", fan_out_links),
    ("d. a relative path over PATH_MAX is an error", long_relative_path),
    ("d. non-UTF-8 file names give UTF-8 ids", non_utf8_names),
    ("f. 1 MB of combining marks: linear time", combining_marks),
    ("g. hostile ids: escaped on the terminal, valid XML, relative sources", hostile_ids),
    ("h. standard output full: the system's reason, for every command", stdout_full_big),
    ("h. COMPTEXT_THREADS and --term: usage errors", bad_environment_and_terms),
    ("h. identical documents score 1", identical_documents_score_one),
    ("2. memory caps from 50 MB to 2 GB: finish or fail naming stage and file", memory_caps),
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
