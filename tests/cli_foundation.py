"""cli_foundation.py — command-line tests of the foundation (`comptext tokens`, `ngrams`).

Checks the contract of ../shared/CLI.md: --help and --version, exit status 2 for usage
errors and 1 for bad input (with the file named), the default corpus corpora/cities (its
ids from its manifest, in byte order of file name), `ngrams` sorted count-descending then by
term bytes and equal to a count recomputed here from the `tokens` output, standard input,
atomic -o (nothing written on failure), and on ../shared/corpora (when present): 49
documents in gov-reports-txt, 72 in the JSON Lines file, and identical bytes for 1 and 2
threads. Run with Debian's /usr/bin/python3; COMPTEXT names the binary, COMPTEXT_SOURCE the
project, COMPTEXT_SHARED ../shared. `cli_foundation.py` runs everything but the ../shared
part; `cli_foundation.py --shared` runs that part alone and exits 77 (skipped, with a
message) when ../shared/corpora is absent. Exit 0: all passed; 1: a failure.
"""
import collections
import csv
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

COMPTEXT = os.environ.get("COMPTEXT", "build/src/cli/comptext")
SOURCE = os.environ.get("COMPTEXT_SOURCE", ".")
SHARED = os.environ.get("COMPTEXT_SHARED", os.path.join(SOURCE, "..", "shared"))
CITIES = os.path.join(SOURCE, "corpora", "cities")

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args, stdin=None, env=None):
    """Run comptext; returns (status, stdout bytes, stderr text)."""
    e = dict(os.environ)
    e.setdefault("COMPTEXT_DATADIR", os.path.join(SOURCE, "corpora"))
    if env:
        e.update(env)
    p = subprocess.run([COMPTEXT, *args], input=stdin, capture_output=True, env=e)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def tokens_of(*args, stdin=None):
    """Parse `comptext tokens` output: list of (id, tokens)."""
    rc, out, err = run("tokens", "--quiet", *args, stdin=stdin)
    check(rc == 0, f"tokens {args}: exit {rc}: {err}")
    docs = []
    for line in out.decode("utf-8").splitlines():
        obj = json.loads(line)
        check(list(obj.keys()) == ["id", "tokens"], f"tokens line keys {list(obj.keys())}")
        docs.append((obj["id"], obj["tokens"]))
    return docs


def ngrams_of(*args):
    """Parse `comptext ngrams` TSV: list of (term, count)."""
    rc, out, err = run("ngrams", "--quiet", *args)
    check(rc == 0, f"ngrams {args}: exit {rc}: {err}")
    rows = []
    lines = out.decode("utf-8").split("\n")[:-1]
    check(lines[:1] == ["term\tcount"], f"ngrams header row: {lines[:1]}")
    for line in lines[1:]:
        term, count = line.split("\t")
        check(re.fullmatch(r"[0-9]+", count) is not None, f"count {count!r} is an integer")
        rows.append((term, int(count)))
    check(out.endswith(b"\n") or not out, "ngrams output ends with a newline")
    return rows


def check_ngrams_against_tokens(label, *args):
    """ngrams must be sorted (count desc, then term bytes) and equal the tokens' counts."""
    rows = ngrams_of(*args)
    expect = sorted(rows, key=lambda r: (-r[1], r[0].encode("utf-8")))
    check(rows == expect, f"{label}: ngrams sorted by count desc, then term bytes")
    terms = [t for t, _ in rows]
    check(len(terms) == len(set(terms)), f"{label}: every term once")
    counted = collections.Counter()
    for _, toks in tokens_of(*args):
        counted.update(toks)
    check(dict(rows) == dict(counted), f"{label}: ngrams equal the counts of `tokens` "
          f"({len(rows)} vs {len(counted)} terms)")
    return rows


def manifest_ids(folder):
    """Ids of a manifest-described folder, in byte order of the file column."""
    rows = sorted(ctkit.manifest_rows(folder), key=lambda r: r["file"].encode("utf-8"))
    return [r["id"] for r in rows]


def meson_version():
    with open(os.path.join(SOURCE, "meson.build"), encoding="utf-8") as f:
        return re.search(r"version\s*:\s*'([^']+)'", f.read()).group(1)


def test_help_and_usage():
    rc, out, err = run("--help")
    check(rc == 0 and b"tokens" in out and b"ngrams" in out, f"--help: {rc} {out[:200]!r}")
    rc, out, err = run("--version")
    check(rc == 0 and out.decode().strip() == f"comptext {meson_version()}",
          f"--version prints 'comptext {meson_version()}': {out!r}")
    for cmd in ("tokens", "ngrams"):
        rc, out, err = run(cmd, "--help")
        text = out.decode()
        check(rc == 0 and text.startswith(f"Usage: comptext {cmd}"), f"{cmd} --help: {rc}")
        for opt in ("--ngrams", "--encoding", "--stopwords", "--text-field", "--id-field",
                    "--output", "--no-nfkc", "--no-casefold", "--keep-chrome"):
            check(opt in text, f"{cmd} --help lists {opt}")
    rc, out, err = run("ngrams", "--help")
    check("tsv|csv|json" in out.decode(), "ngrams --help lists its formats")
    # Usage errors: exit 2 with a message naming the problem.
    usage = [
        ((), None),
        (("frobnicate", CITIES), "frobnicate"),
        (("tokens", "--bogus", CITIES), "--bogus"),
        (("ngrams", "-x", CITIES), "-x"),
        (("tokens", "-n", "0", CITIES), "--ngrams"),
        (("tokens", "-n", "3-2", CITIES), "--ngrams"),
        (("tokens", "-n", "1-17", CITIES), "--ngrams"),
        (("tokens", "-n", "a-b", CITIES), "--ngrams"),
        (("tokens", "--encoding", "latin1", CITIES), "--encoding"),
        (("tokens", "--threads", "0", CITIES), "--threads"),
        (("tokens", "--threads", "x", CITIES), "--threads"),
        (("ngrams", "--format", "xml", CITIES), "--format"),
        (("tokens", "--format", "tsv", CITIES), "--format"),
        (("tokens", "--min-df", "2", CITIES), "--min-df"),
        (("tokens", CITIES, "-n"), "-n"),
    ]
    for args, word in usage:
        rc, out, err = run(*args)
        check(rc == 2, f"usage error {args}: exit {rc}, expected 2 ({err.strip()})")
        check(out == b"", f"usage error {args}: nothing on stdout")
        if word:
            check(word in err, f"usage error {args}: message names {word}: {err.strip()}")


def test_default_corpus():
    docs = tokens_of(CITIES)
    ids = [d[0] for d in docs]
    check(len(docs) == 7, f"corpora/cities has 7 documents, got {len(docs)}")
    check(ids == manifest_ids(CITIES), f"cities ids from the manifest in file order: {ids}")
    check(all(toks for _, toks in docs), "every city document has tokens")
    check_ngrams_against_tokens("cities default", CITIES)
    # Without CORPUS every command reads the default corpus, and says so on stderr.
    rc, out, err = run("tokens")
    rc2, out2, _ = run("tokens", "--quiet", CITIES)
    check(rc == 0 and out == out2 and "no CORPUS given: using the shipped default corpus" in err,
          f"tokens without CORPUS reads the default corpus, with a note: {err.strip()}")
    rc, out, err = run("chrome", CITIES)
    check(rc == 0 and out.decode().splitlines() == ["id\tline\ttext"],
          f"the default corpus has no chrome: {out[:300]!r}")
    rc, out, err = run("ngrams", CITIES)
    check(rc == 0 and "chrome" not in err, "no chrome note on the default corpus")
    check_ngrams_against_tokens("cities -n 2-4", "-n", "2-4", CITIES)
    check_ngrams_against_tokens("cities -n 1 no stopwords", "-n", "1", "--stopwords", "none",
                                CITIES)
    check_ngrams_against_tokens("cities --no-numbers", "--no-numbers", CITIES)
    rows = check_ngrams_against_tokens("cities -n 1-3", "-n", "1-3", CITIES)
    # Stopwords: the shipped list drops 的 and the n-grams it begins or ends.
    terms = dict(rows)
    check("的" not in terms, "的 is a stopword")
    check(not any(len(t) > 1 and (t[0] == "的" or t[-1] == "的") for t in terms),
          "no n-gram begins or ends with 的")
    check(any("的" in t[1:-1] for t in terms if len(t) == 3), "的 inside a 3-gram stays")
    plain = dict(ngrams_of("-n", "1-3", "--stopwords", "none", CITIES))
    check(plain.get("的", 0) > 0, "--stopwords none keeps 的")
    # CSV and JSON carry the same counts.
    rc, out, err = run("ngrams", "--quiet", "-n", "1-3", "--format", "csv", CITIES)
    lines = out.decode().splitlines()
    check(rc == 0 and lines[0] == '"term","count"', "ngrams --format csv header")
    check(dict((t, int(c)) for t, c in csv.reader(lines[1:])) == terms,
          "csv counts equal tsv counts")
    rc, out, err = run("ngrams", "--quiet", "-n", "1-3", "--format", "json", CITIES)
    obj = json.loads(out)
    check(obj["parameters"]["command"] == "ngrams" and obj["parameters"]["ngram_range"] == [1, 3],
          "ngrams json carries its parameters")
    arr = obj["terms"]
    check([(o["term"], o["count"]) for o in arr] == rows, "json rows equal tsv rows")
    check(all(isinstance(o["count"], int) for o in arr), "json counts are integers")
    # tokens lines are exactly {"id": ID, "tokens": [T, ...]} (the contract's spacing, UTF-8).
    rc, out, err = run("tokens", "--quiet", "-n", "2", CITIES)
    for line in out.decode("utf-8").splitlines():
        obj = json.loads(line)
        check(line == json.dumps(obj, ensure_ascii=False), f"tokens line format: {line[:80]}")


def test_stdin_and_errors(tmp):
    text = "２００１年，社区建设😀GDP增长22.4%\n"
    docs = tokens_of("-n", "1-2", "-", stdin=text.encode())
    check(docs == [("stdin", ["2001", "年", "社", "社区", "区", "区建", "建", "建设", "设",
                              "gdp", "增", "增长", "长", "22.4"])],
          f"stdin tokens (the README example): {docs}")
    docs = tokens_of("-", stdin=b"")
    check(docs == [("stdin", [])], f"empty stdin is one empty document: {docs}")
    # GB18030 on standard input under auto: a note on stderr, the right text.
    rc, out, err = run("tokens", "-n", "2", "-", stdin="社区建设".encode("gb18030"))
    check(rc == 0 and json.loads(out)["tokens"] == ["社区", "区建", "建设"],
          f"GB18030 stdin: {rc} {out!r}")
    check("GB18030" in err, f"GB18030 note on stderr: {err!r}")
    rc, out, err = run("tokens", "--encoding", "utf-8", "-", stdin="社区".encode("gb18030"))
    check(rc == 1 and "byte offset 0" in err, f"GB18030 under utf-8 refused: {rc} {err!r}")
    # Bad input: exit 1, the message names the file and line or byte offset.
    bad = os.path.join(tmp, "bad")
    os.mkdir(bad)
    with open(os.path.join(bad, "a.txt"), "wb") as f:
        f.write("第一行\n".encode() + b"ok \xff\xfe\n")
    rc, out, err = run("tokens", bad)
    check(rc == 1 and "a.txt" in err and ":2:" in err and "byte offset 13" in err,
          f"invalid bytes named by file, line and offset: {rc} {err!r}")
    jl = os.path.join(tmp, "x.jsonl")
    with open(jl, "w", encoding="utf-8") as f:
        f.write('{"id": "a", "text": "社区"}\n{"id": "b", "content": "x", "year": 2009}\n')
    rc, out, err = run("tokens", jl)
    check(rc == 1 and "x.jsonl:2" in err and '"content"' in err and '"year"' in err,
          f"JSONL without text field: {rc} {err!r}")
    rc, out, err = run("tokens", "--text-field", "content", jl)
    check(rc == 1 and "x.jsonl:1" in err, f"JSONL without --text-field content: {err!r}")
    rc, out, err = run("tokens", "--stopwords", os.path.join(tmp, "no-list.txt"), CITIES)
    check(rc == 1 and "no-list.txt" in err, f"missing stopword list named: {rc} {err!r}")
    own = os.path.join(tmp, "own-stopwords.txt")
    with open(own, "w", encoding="utf-8") as f:
        f.write("# mine\n社区\n区\n")
    docs = tokens_of("-n", "1-2", "--stopwords", own, "-", stdin="社区建设的".encode())
    check(docs[0][1] == ["社", "建", "建设", "设", "设的", "的"],
          f"--stopwords FILE replaces the shipped list: {docs}")
    # A GB18030 folder under --encoding gb18030: no note (nothing guessed), the right text.
    gbdir = os.path.join(tmp, "gb")
    os.mkdir(gbdir)
    with open(os.path.join(gbdir, "a.txt"), "wb") as f:
        f.write("社区\r\n建设".encode("gb18030"))
    rc, out, err = run("tokens", "-n", "2", "--encoding", "gb18030", gbdir)
    check(rc == 0 and json.loads(out)["tokens"] == ["社区", "建设"] and "note" not in err,
          f"--encoding gb18030: {rc} {out!r} {err!r}")
    rc, out, err = run("tokens", "-n", "2", gbdir)
    check(rc == 0 and json.loads(out)["tokens"] == ["社区", "建设"] and "a.txt" in err
          and "GB18030" in err, f"--encoding auto on GB18030: note naming the file: {err!r}")
    rc, out, err = run("tokens", os.path.join(tmp, "no-such-dir"))
    check(rc == 1 and "no-such-dir" in err, f"missing corpus: {rc} {err!r}")
    dup = os.path.join(tmp, "dup")
    os.mkdir(dup)
    with open(os.path.join(dup, "taizhou-2009.txt"), "w", encoding="utf-8") as f:
        f.write("重复\n")
    rc, out, err = run("tokens", CITIES, dup)
    check(rc == 1 and "taizhou-2009" in err and dup in err and CITIES in err,
          f"duplicate id across sources names both: {rc} {err!r}")


def test_output_file(tmp):
    out_path = os.path.join(tmp, "out", "ngrams.tsv")
    os.mkdir(os.path.dirname(out_path))
    rc, stdout_bytes, err = run("ngrams", "--quiet", CITIES)
    rc2, out, err = run("ngrams", "--quiet", CITIES, "-o", out_path)
    check(rc == 0 and rc2 == 0 and out == b"", f"ngrams -o: exit {rc2}, stdout {out[:50]!r}")
    with open(out_path, "rb") as f:
        check(f.read() == stdout_bytes, "-o writes the same bytes as stdout")
    # The file gets the usual permissions (0666 minus the umask), like any new file.
    probe = os.path.join(tmp, "out", "probe")
    with open(probe, "w"):
        pass
    check(stat.S_IMODE(os.stat(out_path).st_mode) == stat.S_IMODE(os.stat(probe).st_mode),
          f"-o file mode {oct(os.stat(out_path).st_mode)} like a new file's "
          f"{oct(os.stat(probe).st_mode)}")
    os.remove(probe)
    os.chmod(out_path, 0o640)
    rc, out, err = run("ngrams", "--quiet", CITIES, "-o", out_path)
    check(rc == 0 and stat.S_IMODE(os.stat(out_path).st_mode) == 0o640,
          "-o over an existing file keeps its mode")
    # Failures write nothing: not the file, no temporary left, an existing file untouched.
    bad = os.path.join(tmp, "late-bad")
    os.mkdir(bad)
    with open(os.path.join(bad, "a.txt"), "w", encoding="utf-8") as f:
        f.write("社区建设\n" * 100)
    with open(os.path.join(bad, "b.txt"), "wb") as f:
        f.write(b"\xff\xfe bad")
    for cmd in ("tokens", "ngrams"):
        target = os.path.join(tmp, "out", f"fail-{cmd}.txt")
        rc, out, err = run(cmd, "--quiet", bad, "-o", target)
        check(rc == 1, f"{cmd} on a bad corpus: exit {rc}")
        check(not os.path.exists(target), f"{cmd}: nothing written to -o on failure")
        with open(target, "w") as f:
            f.write("old\n")
        rc, out, err = run(cmd, "--quiet", bad, "-o", target)
        with open(target) as f:
            check(rc == 1 and f.read() == "old\n", f"{cmd}: an existing -o file is untouched")
        os.remove(target)
    rc, out, err = run("ngrams", "--quiet", os.path.join(tmp, "missing"), "-o", out_path + "2")
    check(rc == 1 and not os.path.exists(out_path + "2"), "missing corpus: no -o file")
    left = sorted(os.listdir(os.path.join(tmp, "out")))
    check(left == ["ngrams.tsv"], f"no temporary files left behind: {left}")
    rc, out, err = run("ngrams", CITIES, "-o", os.path.join(tmp, "no-dir", "x.tsv"))
    check(rc == 1 and "no-dir" in err, f"-o into a missing directory: {rc} {err!r}")


def test_shared():
    corpora = os.path.join(SHARED, "corpora")
    folder = os.path.join(corpora, "gov-reports-txt")
    jsonl = os.path.join(corpora, "gov-work-reports.jsonl")
    if not (os.path.isdir(folder) and os.path.isfile(jsonl)):
        print(f"SKIP the ../shared part: {corpora} is absent")
        return False
    rc, out, err = run("tokens", "--quiet", "-n", "1", folder)
    lines = out.splitlines()
    check(rc == 0 and len(lines) == 49, f"gov-reports-txt: {len(lines)} documents, expected 49")
    names = sorted((n for n in os.listdir(folder) if n.endswith(".txt")),
                   key=lambda n: n.encode("utf-8"))
    check([json.loads(ln)["id"] for ln in lines] == [n[:-4] for n in names],
          "gov-reports-txt ids are the file names without .txt, in byte order")
    rc, out, err = run("tokens", "--quiet", "-n", "1", "--text-field", "content", jsonl)
    lines = out.splitlines()
    check(rc == 0 and len(lines) == 72, f"gov-work-reports.jsonl: {len(lines)} documents, "
          f"expected 72 ({err.strip()[:200]})")
    rc, out, err = run("tokens", jsonl)
    check(rc == 1 and "content" in err, "the JSONL without --text-field names its fields")
    # ngrams equal the counted tokens on the real corpora too (one n length keeps it small).
    check_ngrams_against_tokens("gov-reports-txt -n 1", "-n", "1", folder)
    check_ngrams_against_tokens("gov-work-reports -n 2", "-n", "2", "--text-field", "content",
                                jsonl)
    # Full-width digits read as ASCII digits (NFKC) in the folder.
    counts = dict(ngrams_of("-n", "1", folder))
    check(not any(c in counts for c in "０１２３４５６７８９"), "no full-width digit survives")
    # Chrome is removed by default: the seed gives the report body's tokens, the same as with
    # --strip-chrome (kept as a no-op for old scripts); --keep-chrome keeps it.
    seed = os.path.join(SHARED, "seed", "000_06cc0866c4911e13.txt")
    if os.path.isfile(seed):
        body = os.path.join(CITIES, "taizhou-2009.txt")
        stripped = tokens_of(seed)[0][1]
        check(stripped == tokens_of(body)[0][1], "seed: the body's tokens by default")
        check(tokens_of("--strip-chrome", seed)[0][1] == stripped, "--strip-chrome: a no-op")
        check(tokens_of("--keep-chrome", seed)[0][1] != stripped, "seed --keep-chrome keeps chrome")
        # comptext chrome lists exactly the chrome lines of tests/cases/chrome-seed/lines.txt,
        # with their text; the other commands say on stderr what they removed.
        want = {}
        with open(os.path.join(SOURCE, "tests", "cases", "chrome-seed", "lines.txt")) as f:
            for line in f:
                if line.startswith(("body ", "chrome ")):
                    want[line.split()[0]] = [int(x) for x in line.split()[1:]]
        with open(seed, encoding="utf-8") as f:
            seed_lines = f.read().split("\n")
        rc, out, err = run("chrome", seed)
        rows = out.decode().splitlines()
        check(rc == 0 and rows and rows[0] == "id\tline\ttext", f"chrome: header row {rows[:1]}")
        got = [r.split("\t") for r in rows[1:]]
        check([int(r[1]) for r in got] == want["chrome"], f"chrome: the chrome lines {got}")
        check(all(r[0] == "000_06cc0866c4911e13" and r[2] == seed_lines[int(r[1]) - 1]
                  for r in got), "chrome: ids and texts")
        rc, out, err = run("chrome", "--rule", "--format", "csv", seed)
        check(rc == 0 and out.decode().splitlines()[0] == '"id","line","text","rule"'
              and '"counter"' in out.decode(), "chrome --rule --format csv")
        rc, out, err = run("ngrams", seed)
        note = err
        check(rc == 0 and "page chrome removed from 1 of 1 document, 23 lines" in note
              and "000_06cc0866c4911e13: 23/" in note, f"ngrams notes the chrome: {note}")
        rc, out, err = run("ngrams", "--keep-chrome", seed)
        check(rc == 0 and "chrome" not in err, "no note with --keep-chrome")
    # Threads: identical bytes.
    outs = []
    for t in ("1", "2"):
        rc, out, err = run("ngrams", "--quiet", "--threads", t, "-n", "1-3", folder)
        check(rc == 0, f"--threads {t}: exit {rc}")
        outs.append(out)
    check(outs[0] == outs[1] and outs[0], "--threads 1 and 2 give identical ngrams bytes")
    rc, out, err = run("ngrams", "--quiet", "--threads", "2", "-n", "2", "--text-field",
                       "content", jsonl)
    rc1, out1, err = run("ngrams", "--quiet", "--threads", "1", "-n", "2", "--text-field",
                         "content", jsonl)
    check(rc == 0 and rc1 == 0 and out == out1, "JSONL: --threads 1 and 2 identical")
    outs = [run("ngrams", "--quiet", "--keep-chrome", "--threads", t, "-n", "2", folder)
            for t in ("1", "2")]
    check(outs[0][0] == 0 and outs[0][1] == outs[1][1],
          "--keep-chrome: --threads 1 and 2 identical")
    return True


def main():
    """With --shared: only the ../shared part (exit 77 when absent); else the rest."""
    if sys.argv[1:] == ["--shared"]:
        shared = test_shared()
        print(f"{checks} checks, {len(failures)} failed")
        return 1 if failures else (0 if shared else 77)
    with tempfile.TemporaryDirectory(prefix="ct-cli-") as tmp:
        test_help_and_usage()
        test_default_corpus()
        test_stdin_and_errors(tmp)
        test_output_file(tmp)
    print(f"{checks} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
