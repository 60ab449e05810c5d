#!/usr/bin/python3
"""soak.py — a seeded soak test (issue 14): 200 runs of random commands with random valid and
invalid options over small corpora, good and bad.

For each run the expected exit status follows from what was drawn: 2 when an invalid option
value was drawn, else 1 when the corpus is a bad one, else 0 (1 allowed, with a message, for
the commands that may find nothing to report). Each run is made twice and must give the same
exit status and byte-identical output (standard output and the -o file or directory), a
message on stderr whenever it fails, no sanitizer report, and no temporary file left behind;
a failed run leaves no output. SOAK_SEED and SOAK_RUNS change the seed (default 14) and the
number of runs (default 200). Run:
    COMPTEXT=build/src/cli/comptext /usr/bin/python3 tests/soak.py [-v]
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

COMPTEXT = os.environ.get("COMPTEXT", "")
SEED = int(os.environ.get("SOAK_SEED", "14"))
RUNS = int(os.environ.get("SOAK_RUNS", "200"))
VERBOSE = "-v" in sys.argv
TIMEOUT = 120

COMMANDS = ["tokens", "ngrams", "tf", "tfidf", "similarity", "themes", "terms", "keyness",
            "kwic", "compare"]
MAY_HAVE_NOTHING = {"keyness", "themes", "terms", "compare"}
FORMATS = {"tf": ["tsv", "json"], "tfidf": ["tsv", "json"], "similarity": ["csv", "json"],
           "kwic": ["tsv", "jsonl"]}
TOKEN_CMDS = {"tokens", "ngrams", "tf", "tfidf", "similarity"}
WEIGHT_CMDS = {"tfidf", "similarity"}

TEXTS = ["社区建设取得成效，和谐社区。城乡社区服务体系建设加快推进。",
         "城乡社区服务，社区建设。推进社区治理现代化，服务居民群众。",
         "政府工作报告：经济发展稳中有进，人民生活持续改善，社区建设。",
         "深化改革开放，创新驱动发展，城乡区域协调发展，社区服务。",
         "Community building 2024: 社区建设 and 城乡服务, year 2024."]


def make_corpora(root):
    """The corpora: name -> (path, good?)."""
    def write(rel, data):
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    cities = ["泰州", "扬州", "泰州", "南京", "扬州"]
    rows = ["file\tid\tcity"]
    for i, t in enumerate(TEXTS):
        write("dir/d%d.txt" % i, (t * (i + 2) + "\n").encode())
        rows.append("d%d.txt\tD%d\t%s" % (i, i, cities[i]))
    write("dir/manifest.tsv", ("\n".join(rows) + "\n").encode())
    write("x.jsonl", "".join(json.dumps({"id": "j%d" % i, "text": t * 3, "city": cities[i]},
                                        ensure_ascii=False) + "\n"
                             for i, t in enumerate(TEXTS)).encode())
    write("gb/a.txt", (TEXTS[0] * 3).encode("gb18030"))
    write("gb/b.txt", (TEXTS[1] * 3).encode())
    write("bad/a.txt", TEXTS[0].encode())
    write("bad/b.txt", b"ok\n\xff\xff\n")  # neither UTF-8 nor GB18030
    write("nul.txt", b"ab\x00cd")
    write("broken.jsonl", b'{"id": "a", "text": "x"}\n{"id": \n')
    os.makedirs(os.path.join(root, "empty"), exist_ok=True)
    return {"dir": True, "x.jsonl": True, "gb": True, "bad": False, "nul.txt": False,
            "broken.jsonl": False, "empty": False}


def draw(rnd, corpora):
    """One run: (argv without -o, expected status, output kind, has group-by)."""
    cmd = rnd.choice(COMMANDS)
    corpus = rnd.choice(list(corpora))
    args, invalid = [], False
    grouped = False
    if cmd == "kwic":
        args += ["--term", rnd.choice(["社区", "服务", "发展", "2024"])]
    if cmd == "keyness":
        target = {"dir": "D0", "x.jsonl": "j0", "nul.txt": "nul"}.get(corpus, "a")
        args += ["--target", rnd.choice([target, "city=泰州"]) if corpus in ("dir", "x.jsonl")
                 else target]
    if cmd in TOKEN_CMDS and rnd.random() < 0.5:
        lo = rnd.randint(1, 3)
        args += ["-n", "%d-%d" % (lo, lo + rnd.randint(0, 2))]
    if cmd in TOKEN_CMDS and rnd.random() < 0.2:
        args += [rnd.choice(["--no-nfkc", "--no-casefold", "--no-numbers", "--no-words"])]
    if cmd in TOKEN_CMDS and rnd.random() < 0.2:
        args += ["--stopwords", "none"]
    if cmd in WEIGHT_CMDS and rnd.random() < 0.4:
        args += rnd.choice([["--sublinear-tf"], ["--no-idf"], ["--no-smooth-idf"],
                            ["--norm", rnd.choice(["l1", "l2", "none"])], ["--min-df", "2"],
                            ["--max-df", "0.9"], ["--max-features", "20"]])
    if cmd in FORMATS and rnd.random() < 0.4:
        args += ["--format", rnd.choice(FORMATS[cmd])]
    if cmd in ("tf", "tfidf", "similarity", "themes") and corpus in ("dir", "x.jsonl") and \
            rnd.random() < 0.2:
        args += ["--group-by", "city"]
        grouped = True
    if rnd.random() < 0.3:
        args += ["--threads", str(rnd.randint(1, 4))]
    if rnd.random() < 0.15:  # an invalid value: a usage error whatever else was drawn
        invalid = True
        args += rnd.choice([["--threads", "0"], ["--frobnicate"], ["--encoding", "latin1"]] +
                           ([["-n", "0"], ["-n", "3-1"]] if cmd in TOKEN_CMDS else []) +
                           ([["--norm", "l3"], ["--min-df", "-1"]] if cmd in WEIGHT_CMDS else []) +
                           ([["--format", "xml"]] if cmd in FORMATS else []))
    expected = {2} if invalid else ({0} if corpora[corpus] else {1})
    if rnd.random() < 0.1 and cmd in TOKEN_CMDS:
        enc = rnd.choice(["auto", "utf-8", "gb18030"])
        args += ["--encoding", enc]
        if not invalid and corpora[corpus] and enc != "auto":
            # UTF-8 read as GB18030 may decode (to other characters) or fail; GB18030 text
            # read as UTF-8 fails; JSON Lines are always UTF-8
            expected = {0} if corpus.endswith(".jsonl") else \
                {1} if (corpus == "gb" and enc == "utf-8") else \
                {0} if enc == "utf-8" else {0, 1}
    if cmd == "keyness" and corpus == "nul.txt" and not invalid:
        # "ab\0cd" looks like UTF-16BE (its one NUL at an even offset), which the decoder
        # names when the text is read: after the one-document target is found to be the
        # whole corpus, a usage error.
        expected = {2}
    argv = [cmd] + args + [corpus]
    return argv, expected


def snapshot(path):
    if not os.path.exists(path):
        return None
    if os.path.isdir(path):
        out = {}
        for n in sorted(os.listdir(path)):
            with open(os.path.join(path, n), "rb") as f:
                out[n] = f.read()
        return out
    with open(path, "rb") as f:
        return f.read()


def leftovers(root):
    return [os.path.join(d, n) for d, dirs, names in os.walk(root) for n in names + dirs
            if ".tmp-" in n]


def main():
    if not COMPTEXT or not os.path.exists(COMPTEXT):
        print("COMPTEXT is not set to the comptext binary", file=sys.stderr)
        return 1
    rnd = random.Random(SEED)
    failed = 0
    statuses = {}
    with tempfile.TemporaryDirectory(prefix="ct-soak-") as root:
        corpora = make_corpora(root)
        for k in range(RUNS):
            argv, expected = draw(rnd, corpora)
            use_o = argv[0] == "compare" or rnd.random() < 0.5
            results = []
            for attempt in range(2):
                target = os.path.join(root, "out%d" % attempt)
                shutil.rmtree(target, ignore_errors=True)
                if os.path.exists(target):
                    os.remove(target)
                full = argv + (["-o", target] if use_o else [])
                p = subprocess.run([COMPTEXT] + full, cwd=root, capture_output=True,
                                   timeout=TIMEOUT)
                err = p.stderr.decode("utf-8", "replace").replace(target, "OUT")
                results.append((p.returncode, p.stdout.replace(target.encode(), b"OUT"), err,
                                snapshot(target)))
            problems = []
            status, out, err, written = results[0]
            statuses[status] = statuses.get(status, 0) + 1
            ok = status in expected or (0 in expected and status == 1 and
                                        argv[0] in MAY_HAVE_NOTHING)
            if not ok:
                problems.append("exit status %d, expected %s" % (status, sorted(expected)))
            if status != 0 and not err.strip():
                problems.append("exit status %d without a message" % status)
            if re.search(r"runtime error:|Sanitizer", err):
                problems.append("sanitizer report")
            if status != 0 and written is not None:
                problems.append("failed but wrote the output")
            if results[1][:3] != results[0][:3] or results[1][3] != written:
                problems.append("the repeat differs (status %d vs %d)"
                                % (results[1][0], status))
            left = leftovers(root)
            if left:
                problems.append("temporaries left: %s" % left)
            label = "%3d %s%s" % (k, " ".join(argv), " -o OUT" if use_o else "")
            if problems:
                failed += 1
                print("FAIL %s\n     %s\n     %s" % (label, "; ".join(problems), err.strip()[:400]))
            elif VERBOSE:
                print("ok   %s -> %d" % (label, status))
    print("soak: %d runs (seed %d), exit statuses %s, %d failed"
          % (RUNS, SEED, dict(sorted(statuses.items())), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
