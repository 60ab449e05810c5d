"""test_compare_reuse.py — `comptext compare` shows text reuse (issue 16, item 4).

On the shipped cities corpus: DIR/reuse.jsonl is byte for byte what `comptext reuse` prints
for the same corpus; report.html has the reuse section, with the passage count of
reuse.jsonl. A planted passage: a real paragraph of one report copied into another with two
characters substituted is found, shown in the section's table with both ids and offsets that
match reuse.jsonl, and exactly the substituted characters are marked on each side (<del> in
a, <ins> in b). --group-by: the matrix heatmap is labelled with the groups and its tooltips
give the characters that reuse.jsonl's passages add up to; the colour legend spans the
values shown (one value: one swatch) and the largest cells have the top colour. --no-reuse writes no reuse.jsonl
and the report has no section; the strongest-passage table is capped at 20 rows."""
import json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

CITIES = ctkit.CITIES
checks = ctkit.Checks()
check = checks.check
run = ctkit.run_text


def section(html):
    a = html.find('<h2 id="reuse">')
    return html[a:html.find('<p class="meta">Written', a)] if a >= 0 else ""


def scale_check(sec, what):
    """The matrix's colour scale is that of its values: the legend ends at the largest value,
    starts at the smallest coloured one (a single value: one swatch, that value, no range
    made up around it), and the largest cells have the top colour (viridis #fde725)."""
    svg = sec[sec.find("<svg"):sec.find("</svg>")]
    cells = [(fill, float(v)) for fill, v in
             re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"><title>[^<]*: ([0-9.]+)</title>', svg)]
    shown = sorted({v for _, v in cells if v > 0})
    legend = [float(v) for v in re.findall(r'dominant-baseline="central">([0-9.]+)</text>\n',
                                           svg[svg.find("</g>"):])]
    check(shown and legend and max(legend) == max(shown) and min(legend) == min(shown) and
          (len(shown) > 1 or len(legend) == 1),
          f"{what}: the legend spans the values shown ({shown} vs {legend})")
    check(shown and all(f == "#fde725" for f, v in cells if v == max(shown)),
          f"{what}: the largest cells have the top colour")


tmp = tempfile.mkdtemp(prefix="ct-compare-reuse-")
try:
    p = run("reuse", "--help")
    if "parasail" in p.stderr or run("reuse", CITIES).returncode != 0:
        print("SKIP: comptext reuse is not available (built without parasail)")
        sys.exit(77)
    # --- the cities corpus: reuse.jsonl is comptext reuse's output ------------------------
    out = os.path.join(tmp, "out")
    p = run("compare", "-o", out, CITIES)
    check(p.returncode == 0, f"compare: {p.stderr}")
    ref = subprocess.run([ctkit.COMPTEXT, "reuse", CITIES], capture_output=True)
    got = open(os.path.join(out, "reuse.jsonl"), "rb").read()
    check(got == ref.stdout, "reuse.jsonl equals the bytes of comptext reuse")
    passages = [json.loads(l) for l in got.decode().splitlines()]
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    sec = section(html)
    noun = "passage" if len(passages) == 1 else "passages"
    check(sec and f"<b>{len(passages)} {noun}</b>" in sec,
          f"the section gives the passages of reuse.jsonl ({len(passages)})")
    check('href="#reuse"' in html and "reuse.jsonl" in html.split("Written by")[-1],
          "the report links the section and names reuse.jsonl")
    check(f"Shared passages: {len(passages)} (reuse.jsonl)" in p.stdout, f"summary: {p.stdout[-300:]}")

    # the cities' one passage is the template formula, boilerplate: no matrix there
    check(all(q["boilerplate"] for q in passages) and "Characters shared between" not in sec,
          "the cities corpus: its shared formula is boilerplate, left out of the matrix")

    # --- a planted passage with two substitutions -----------------------------------------
    texts = {}
    for name in sorted(os.listdir(CITIES)):
        if name.endswith(".txt"):
            texts[name[:-4]] = open(os.path.join(CITIES, name), encoding="utf-8").read()
    src_id, dst_id = "beiyuan-2020", "qiwu-2023"
    para = max(texts[src_id].split("\n"), key=len)[:120]
    check(len(para) >= 100, "a long paragraph to plant")
    han = [i for i, ch in enumerate(para) if "\u4e00" <= ch <= "\u9fff"]
    subs = [han[len(han) // 3], han[2 * len(han) // 3]]
    edited = list(para)
    for i in subs:
        edited[i] = "鑫" if edited[i] != "鑫" else "淼"
    edited = "".join(edited)
    plant = os.path.join(tmp, "plant")
    os.mkdir(plant)
    for i, (k, t) in enumerate(texts.items()):
        if k == dst_id:
            cut = t.index("\n", len(t) // 2) + 1
            t = t[:cut] + edited + "\n" + t[cut:]
        open(os.path.join(plant, k + ".txt"), "w", encoding="utf-8").write(t)
    shutil.copy(os.path.join(CITIES, "manifest.tsv"), plant)
    po = os.path.join(tmp, "plant-out")
    p = run("compare", "-o", po, plant)
    check(p.returncode == 0, f"compare on the planted corpus: {p.stderr}")
    rows = [json.loads(l) for l in open(os.path.join(po, "reuse.jsonl"), encoding="utf-8")]
    hit = [r for r in rows if {r["a"], r["b"]} == {src_id, dst_id} and "鑫" in (r["a_text"] + r["b_text"])]
    check(len(hit) == 1, f"the planted passage is in reuse.jsonl: {len(hit)}")
    sec = section(open(os.path.join(po, "report.html"), encoding="utf-8").read())
    scale_check(sec, "the planted corpus")
    if hit:
        r = hit[0]
        row = re.search(r"<tr><td class=\"num\">\d+</td><td class=\"pa\"><b>%s</b> <small>%d–%d</small>"
                        r"<br>(.*?)</td><td class=\"pa\"><b>%s</b> <small>%d–%d</small><br>(.*?)</td>"
                        % (re.escape(r["a"]), r["a_begin"], r["a_end"], re.escape(r["b"]), r["b_begin"],
                           r["b_end"]), sec)
        check(row is not None, "the planted passage is a row of the table, ids and offsets as reuse.jsonl")
        if row:
            dels = re.findall(r"<del>(.*?)</del>", row.group(1))
            inss = re.findall(r"<ins>(.*?)</ins>", row.group(2))
            a_is_src = r["a"] == src_id
            orig = [para[i] for i in subs]
            new = [edited[i] for i in subs]
            check(dels == (orig if a_is_src else new), f"a's differences marked: {dels}")
            check(inss == (new if a_is_src else orig), f"b's differences marked: {inss}")
            plain = re.sub(r"</?(del|ins)>", "", row.group(1))
            check(plain.rstrip("…") == r["a_text"][:300], "a's text is shown whole (to 300 characters)")

    # --- --group-by: the matrix of groups --------------------------------------------------
    go = os.path.join(tmp, "group-out")
    p = run("compare", "-o", go, "--group-by", "province", plant)
    check(p.returncode == 0, f"--group-by province: {p.stderr}")
    html = open(os.path.join(go, "report.html"), encoding="utf-8").read()
    sec = section(html)
    check("Characters shared between groups by province" in sec, "the matrix names the grouping")
    scale_check(sec, "--group-by province")
    prov = {}
    for line in open(os.path.join(CITIES, "manifest.tsv"), encoding="utf-8").read().splitlines()[1:]:
        f = line.split("\t")
        prov[f[1]] = f[3]
    rows = [json.loads(l) for l in open(os.path.join(go, "reuse.jsonl"), encoding="utf-8")]
    want = {}
    for r in rows:
        if not r["boilerplate"]:
            k = tuple(sorted([prov[r["a"]], prov[r["b"]]]))
            want[k] = want.get(k, 0) + r["length"]
    tips = dict(((a, b), int(v)) for a, b, v in re.findall(r"<title>(\S+) × (\S+): (\d+)</title>", sec))
    check(want and all(tips.get(k) == v and tips.get(k[::-1]) == v for k, v in want.items()),
          f"matrix cells add up reuse.jsonl's passages: {want} vs {tips}")
    check(all(v == 0 for k, v in tips.items() if tuple(sorted(k)) not in want), "other cells are 0")

    # --- --no-reuse ------------------------------------------------------------------------
    no = os.path.join(tmp, "no-out")
    p = run("compare", "--no-reuse", "-o", no, CITIES)
    check(p.returncode == 0 and not os.path.exists(os.path.join(no, "reuse.jsonl")),
          "--no-reuse: no reuse.jsonl")
    html = open(os.path.join(no, "report.html"), encoding="utf-8").read()
    check(not section(html) and 'href="#reuse"' not in html and "<del>" not in html
          and html.count("<svg") == 3, "--no-reuse: no reuse section, the three pictures only")

    # --- a second run into the same DIR describes that run alone ------------------------
    # out holds the first run's files, reuse.jsonl among them; a file of the user's stays.
    open(os.path.join(out, "mine.txt"), "w").write("not compare's\n")
    p = run("compare", "--no-reuse", "-o", out, CITIES)
    check(p.returncode == 0 and not os.path.exists(os.path.join(out, "reuse.jsonl")),
          f"--no-reuse into the earlier DIR: its stale reuse.jsonl is removed: {p.stderr}")
    check(sorted(os.listdir(out)) == sorted(os.listdir(no) + ["mine.txt"]),
          f"the earlier DIR holds this run's files and the user's: {sorted(os.listdir(out))}")
    for name in os.listdir(no):
        check(open(os.path.join(out, name), "rb").read() == open(os.path.join(no, name), "rb").read()
              or name == "report.html", f"{name} is this run's")

    # --- the table is capped ---------------------------------------------------------------
    many = os.path.join(tmp, "many.jsonl")
    base = [t for t in texts.values()]
    with open(many, "w", encoding="utf-8") as f:
        for i in range(30):
            f.write(json.dumps({"id": f"d{i:02d}", "text": base[i % len(base)][: 800 + 20 * i]},
                               ensure_ascii=False) + "\n")
    mo = os.path.join(tmp, "many-out")
    p = run("compare", "-o", mo, many)
    check(p.returncode == 0, f"30 overlapping documents: {p.stderr}")
    sec = section(open(os.path.join(mo, "report.html"), encoding="utf-8").read())
    n_rows = sec.count('<td class="pa"><b>') // 2
    check(0 < n_rows <= 20, f"at most 20 passages in the table: {n_rows}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

checks.finish()
