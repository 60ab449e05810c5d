"""test_compare_notes.py — compare notes duplicates and outliers (issue 11, item 3).

A corpus made of the default corpus plus an exact copy of one report, a near copy of
another (one sentence added), an empty document and a short one (the first 80 characters
of a third): compare must note each of them on stderr and in report.html, and nothing else.
The notes are recomputed here from what compare wrote and from the texts: exact duplicates
by comparing the texts, near-duplicates from similarity.csv (cosine >= 0.98 and not the same
text), short documents from the characters of each text against the median. On the shared
government reports (skipped when ../shared is absent) the same recomputation must agree."""
import csv, html, json, os, re, shutil, statistics, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

SHARED = os.environ.get("COMPTEXT_SHARED", "")
CITIES = ctkit.CITIES
checks = ctkit.Checks()
check = checks.check
run = ctkit.run_text


def notes_of(stderr):
    return [l[len("comptext compare: note: "):] for l in stderr.splitlines()
            if l.startswith("comptext compare: note: ")]


def similarity(path):
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    ids = rows[0][1:]
    return ids, {r[0]: [float(x) for x in r[1:]] for r in rows[1:]}


def expected(texts, ids, sim, tokens_of=None):
    """The notes compare should give, from the texts (id -> text as counted) and the
    similarity matrix: (duplicates, near-duplicates, short documents) as sets."""
    order = list(texts)
    dups, first = set(), {}
    for d in order:
        if texts[d].strip() == "":
            continue  # nearly empty documents are noted as such, not as copies
        if texts[d] in first:
            dups.add((first[texts[d]], d))
        else:
            first[texts[d]] = d
    same = {frozenset(p) for p in dups}
    near = set()
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if sim[a][ids.index(b)] >= 0.98 and frozenset((a, b)) not in same:
                near.add((a, b))
    median = statistics.median(len(t) for t in texts.values())
    short = {d for d in order if texts[d].strip() and len(texts[d]) < 0.1 * median}
    return dups, near, short


tmp = tempfile.mkdtemp(prefix="ct-notes-")
try:
    corpus = os.path.join(tmp, "c")
    shutil.copytree(CITIES, corpus)
    manifest = os.path.join(corpus, "manifest.tsv")
    if os.path.exists(manifest):
        os.remove(manifest)  # ids from file names; the added files have no rows there
    read = lambda n: open(os.path.join(CITIES, n + ".txt"), encoding="utf-8").read()
    extra = {
        "qiwu-copy": read("qiwu-2023"),
        "beiyuan-near": read("beiyuan-2020") + "另外，社区网格员队伍继续扩大。\n",
        "empty": "",
        "short": read("luting-2019")[:80],
    }
    for name, text in extra.items():
        with open(os.path.join(corpus, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
    out = os.path.join(tmp, "out")
    p = run("compare", "-o", out, corpus)
    check(p.returncode == 0, f"compare: exit {p.returncode}: {p.stderr}")
    notes = notes_of(p.stderr)
    check(notes == [
        "qiwu-2023 and qiwu-copy have the same text",
        notes[1] if len(notes) > 1 and notes[1].startswith("beiyuan-2020 and beiyuan-near are "
                                                            "near-duplicates (cosine ") else "?",
        "empty has almost no tokens (0 counted)",
        notes[3] if len(notes) > 3 and notes[3].startswith("short is far shorter than the rest "
                                                            "(80 characters, ") else "?",
    ], f"the four notes, in order: {notes}")
    texts = {}
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".txt"):
            texts[name[:-4]] = open(os.path.join(corpus, name), encoding="utf-8").read()
    ids, sim = similarity(os.path.join(out, "similarity.csv"))
    dups, near, short = expected(texts, ids, sim)
    check(dups == {("qiwu-2023", "qiwu-copy")}, f"exact duplicates recomputed: {dups}")
    check(near == {("beiyuan-2020", "beiyuan-near")}, f"near-duplicates recomputed: {near}")
    check(short == {"short"}, f"short documents recomputed: {short}")
    m = re.search(r"cosine ([0-9.]+)\)", notes[1] if len(notes) > 1 else "")
    check(m and abs(float(m.group(1)) - sim["beiyuan-2020"][ids.index("beiyuan-near")]) < 1e-4,
          "the near-duplicate's cosine is similarity.csv's")
    report = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    section = report.split('<h2 id="notes">', 1)[1].split("<h2", 1)[0] if '<h2 id="notes">' in report else ""
    items = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", section)]
    check(items == notes, f"report.html lists the same notes: {items}")
    check('<a href="#notes">notes</a>' in report, "report.html links to its notes")

    # The default corpus has none: no section, no link, nothing on stderr but the note on its
    # weak clusters (test_compare_weak.py).
    out2 = os.path.join(tmp, "out2")
    p = run("compare", "-o", out2, CITIES)
    check(p.returncode == 0 and p.stderr.startswith("comptext compare: note: weak clusters:") and
          p.stderr.count("\n") == 1, f"no notes on the default corpus: {p.stderr!r}")
    check('id="notes"' not in open(os.path.join(out2, "report.html"), encoding="utf-8").read(),
          "no notes section without notes")

    # Many notes: the first ten on stderr, the count of the rest, all of them in the report.
    for i in range(12):
        with open(os.path.join(corpus, "copy-%02d.txt" % i), "w", encoding="utf-8") as f:
            f.write(read("tonghu-2022"))
    out3 = os.path.join(tmp, "out3")
    p = run("compare", "-o", out3, corpus)
    lines = notes_of(p.stderr)
    check(p.returncode == 0 and len(lines) == 11 and re.match(r"\d+ more notes", lines[-1]),
          f"ten notes and a count on stderr: {lines}")
    more = int(lines[-1].split()[0]) if lines and re.match(r"\d+ ", lines[-1]) else -1
    report = open(os.path.join(out3, "report.html"), encoding="utf-8").read()
    check(report.count("<li>") == 10 + more, f"every note in the report ({10 + more})")

    # The shared government reports: the notes agree with the recomputation.
    jsonl = os.path.join(SHARED, "corpora", "gov-work-reports.jsonl")
    if os.path.exists(jsonl):
        out4 = os.path.join(tmp, "out4")
        p = run("compare", "-o", out4, "--text-field", "content", "--id-field", "title", jsonl)
        check(p.returncode == 0, f"compare on the shared reports: {p.stderr}")
        texts = {}
        for line in open(jsonl, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                texts[r["title"]] = r["content"].replace("\r\n", "\n").replace("\r", "\n")
        ids, sim = similarity(os.path.join(out4, "similarity.csv"))
        dups, near, short = expected(texts, ids, sim)
        report = open(os.path.join(out4, "report.html"), encoding="utf-8").read()
        items = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>",
                 report.split('<h2 id="notes">', 1)[1].split("<h2", 1)[0])] if 'id="notes"' in report else []
        got_short = {x.split(" is far shorter")[0] for x in items if " is far shorter" in x}
        got_near = {tuple(x.split(" are near-duplicates")[0].split(" and ")) for x in items
                    if " are near-duplicates" in x}
        got_dups = {tuple(x.split(" have the same text")[0].split(" and ")) for x in items
                    if " have the same text" in x}
        check(got_short == short, f"shared: short documents {sorted(got_short)} vs {sorted(short)}")
        check(got_near == near, f"shared: near-duplicates {got_near} vs {near}")
        check(got_dups == dups, f"shared: duplicates {got_dups} vs {dups}")
        print(f"shared reports: {len(short)} short, {len(near)} near-duplicate pairs, "
              f"{len(dups)} copies")
    else:
        print("note: ../shared absent, the shared-corpus part is skipped")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

# The notes every command gives: what chrome removal took (as tf says it) and, for fewer than
# three documents, that themes are ranked against the shipped reference (as themes says it).
tmp = tempfile.mkdtemp()
try:
    corpus = os.path.join(tmp, "cities")
    shutil.copytree(CITIES, corpus)
    with open(os.path.join(corpus, "qiwu-2023.txt"), "a", encoding="utf-8") as f:
        f.write("\nhttps://www.example.gov.cn/xxgk/qiwu-2023.html\n共3页\n")
    r = run("compare", "-o", os.path.join(tmp, "out"), corpus)
    tf = run("tf", corpus)
    chrome = [l.split(": note: ", 1)[1] for l in tf.stderr.splitlines() if "page chrome" in l]
    check(r.returncode == 0 and chrome and chrome[0] in notes_of(r.stderr),
          "compare notes the page chrome it removed, as tf does (%s)" % chrome)
    one = os.path.join(CITIES, "taizhou-2009.txt")
    r = run("compare", "-o", os.path.join(tmp, "one"), one)
    th = run("themes", one)
    ref = [l.split(": note: ", 1)[1] for l in th.stderr.splitlines() if "reference" in l]
    check(r.returncode == 0 and ref and
          any(n.startswith(ref[0].split(" (")[0]) for n in notes_of(r.stderr)),
          "compare on one report notes that themes are ranked against the shipped reference")
    r = run("compare", "--quiet", "-o", os.path.join(tmp, "one-q"), one)
    check(r.returncode == 0 and not any("reference" in n for n in notes_of(r.stderr)),
          "--quiet leaves the reference note out, as in themes")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

checks.finish()
