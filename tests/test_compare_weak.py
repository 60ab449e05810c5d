#!/usr/bin/python3
"""`comptext compare` says when its clusters are weak: a mean silhouette of 0.25 or less
(Kaufman and Rousseeuw 1990: no substantial structure) gives a note on stderr, a line in the
summary and a paragraph in report.html's clusters section — on the shipped cities corpus
(0.069), and in large mode; one cluster has no silhouette and no note; two planted topics (each report of one topic's words) cut into
strong clusters give none of them, and neither do the tables: clusters.tsv keeps its
columns."""
import os, random, re, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks()
check = checks.check
run = ctkit.run_text
NOTE = "weak clusters: a mean silhouette of"


def silhouette(stdout):
    m = re.search(r"mean silhouette (-?[0-9.]+)", stdout)
    return float(m.group(1)) if m else None


def outputs(out, p):
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    sec = html[html.find('<h2 id="clusters">'):]
    sec = sec[:sec.find("<h2", 5)]
    return p.stderr, p.stdout, sec


with tempfile.TemporaryDirectory() as tmp:
    # the cities: weak
    out = os.path.join(tmp, "cities")
    p = run("compare", "--no-reuse", "-o", out, ctkit.CITIES)
    check(p.returncode == 0, f"compare cities: {p.stderr}")
    err, summary, sec = outputs(out, p)
    s = silhouette(summary)
    check(s is not None and s <= 0.25, f"the cities' silhouette is weak: {s}")
    check(f"comptext compare: note: {NOTE} {s:.3f} (0.25 or less)" in err, f"stderr note: {err}")
    lines = summary.splitlines()
    at = [i for i, l in enumerate(lines) if l.startswith("Clusters (")]
    block = lines[at[0]:lines.index("", at[0])] if at else []
    check(any(l.startswith(f"  note: {NOTE} {s:.3f}") for l in block),
          f"the summary's clusters block has the note: {block}")
    check('<p class="weak">' in sec and "Kaufman and Rousseeuw 1990" in sec,
          "report.html's clusters section has the note")
    header = open(os.path.join(out, "clusters.tsv"), encoding="utf-8").readline()
    check(header == "id\tcluster\n", f"clusters.tsv keeps its columns: {header!r}")

    # two planted topics: strong clusters, no note
    rng = random.Random(3)
    words = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(3)) for _ in range(80)]
    topics = (words[:40], words[40:])
    folder = os.path.join(tmp, "topics")
    os.mkdir(folder)
    for i in range(12):
        vocab = topics[i % 2]
        text = "，".join("".join(rng.choice(vocab) for _ in range(4)) for _ in range(60)) + "。"
        with open(os.path.join(folder, "r%02d.txt" % i), "w", encoding="utf-8") as f:
            f.write(text)
    out = os.path.join(tmp, "strong")
    p = run("compare", "--no-reuse", "-o", out, folder)
    check(p.returncode == 0, f"compare topics: {p.stderr}")
    err, summary, sec = outputs(out, p)
    s = silhouette(summary)
    check(s is not None and s > 0.25, f"two topics cut into strong clusters: {s}")
    check(NOTE not in err and NOTE not in summary and 'class="weak"' not in sec,
          "strong clusters: no note anywhere")

    # large mode (report_large.c): the cities cut into 2 clusters, still weak; one cluster
    # (the default cut there) has no silhouette and no note
    out = os.path.join(tmp, "large")
    p = run("compare", "--no-reuse", "--large-threshold", "5", "--clusters", "2", "-o", out,
            ctkit.CITIES)
    check(p.returncode == 0, f"compare cities, large mode: {p.stderr}")
    err, summary, sec = outputs(out, p)
    s = silhouette(summary)
    check("estimated on" in summary and s is not None and s <= 0.25, f"large mode, weak: {s}")
    check(NOTE in err and f"  note: {NOTE}" in summary and '<p class="weak">' in sec,
          "large mode: the note in stderr, the summary and report.html")
    out = os.path.join(tmp, "large1")
    p = run("compare", "--no-reuse", "--large-threshold", "5", "-o", out, ctkit.CITIES)
    err, summary, sec = outputs(out, p)
    check(p.returncode == 0 and "(1 cluster," in summary and NOTE not in err + summary + sec,
          f"large mode, one cluster: no note ({summary[:400]})")
checks.finish()
