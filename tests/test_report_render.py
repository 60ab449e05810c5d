"""test_report_render.py — report.html renders in a real browser.

Runs `comptext compare` on the default corpus, opens report.html in headless Chromium
(Debian's chromium; .ci/install-deps --tests installs it) with networking off, and checks
that the screenshot is not blank: the PNG is decoded here with zlib (no imaging library)
and must hold many distinct colours — the heatmap's viridis ramp, the cluster colours, text
— and a fair share of non-white pixels. Skips with a message when chromium is missing.
COMPTEXT_SCREENSHOT=PATH keeps the screenshot."""
import os, shutil, struct, subprocess, sys, tempfile, zlib

EXE = os.environ["COMPTEXT"]
chromium = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
if not chromium:
    print("SKIP: chromium is not installed (bash .ci/install-deps --tests installs it)")
    sys.exit(77)


def png_pixels(data):
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG: (width, height, rows of pixel tuples)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    i = 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


tmp = tempfile.mkdtemp(prefix="ct-render-")
try:
    out = os.path.join(tmp, "out")
    p = subprocess.run([EXE, "compare", "-o", out], capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL: compare:", p.stderr)
        sys.exit(1)
    shot = os.environ.get("COMPTEXT_SCREENSHOT") or os.path.join(tmp, "report.png")
    profile = os.path.join(tmp, "profile")
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + shot,
           "--window-size=1200,2400", "file://" + os.path.join(out, "report.html")]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        print("FAIL: chromium did not finish in 120 s")
        sys.exit(1)
    if not os.path.exists(shot):
        print("FAIL: no screenshot:", r.returncode, r.stderr[-2000:])
        sys.exit(1)
    w, h, bpp, rows = png_pixels(open(shot, "rb").read())
    colours = set()
    nonwhite = 0
    for row in rows[::2]:
        for x in range(0, len(row), bpp * 2):
            px = row[x:x + 3]
            colours.add(px)
            nonwhite += px != b"\xff\xff\xff"
    total = len(rows[::2]) * len(range(0, w * bpp, bpp * 2))
    share = nonwhite / total
    print(f"screenshot {w}x{h}: {len(colours)} distinct colours, {100 * share:.1f}% non-white")
    ok = w == 1200 and len(colours) >= 100 and share >= 0.05
    if not ok:
        print("FAIL: the rendered report looks blank")
    sys.exit(0 if ok else 1)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
