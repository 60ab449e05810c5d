"""tokens_rules.py — `comptext tokens` against an independent re-implementation of the
documented tokeniser rules (README "The pipeline", include/comptext/tokenize.h, src/charclass.h)
written here with Python's unicodedata, not with utf8proc:

  * normalise: NFKC and case folding (each switchable off), then traditional script folded to
    simplified with OpenCC's t2s (here: the `opencc` command; --no-fold-script: not);
  * classes: letters of category Lo/Lm and letter numbers (Nl, such as 〇) that are wide (East
    Asian width W or F) are CJK; other
    letters (Lu Ll Lt Lo Lm) are ALPHA; Nd is DIGIT; Mn Mc Me are MARKs, which stay with the
    character before them (and are dropped after a boundary); everything else is a boundary;
  * a run is a stretch of one class; a DIGIT run also takes a '.' between two digits;
  * CJK runs give every character n-gram with MIN <= n <= MAX, start by start, short first;
    an ALPHA run is one word, a DIGIT run one number;
  * stopwords: a token equal to an entry is dropped, and an n-gram of two or more characters
    that begins or ends with a one-character entry.

Cases: a mixed sample (Han, kana, Hangul, Latin with accents, Greek, Cyrillic, Thai,
Devanagari, Arabic, digits of several scripts, decimals, punctuation, emoji, ZWJ sequences,
keycaps, compatibility forms), under several n ranges and normalisation switches; the default
corpus with the shipped stopword list; and, when ../shared is present, three of the
government reports (full-width digits, ideographic spaces).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

COMPTEXT = os.environ.get("COMPTEXT", "build/src/cli/comptext")
SOURCE = os.environ.get("COMPTEXT_SOURCE", ".")
SHARED = os.environ.get("COMPTEXT_SHARED", os.path.join(SOURCE, "..", "shared"))

BOUNDARY, CJK, ALPHA, DIGIT, MARK = range(5)


def classify(ch):
    cat = unicodedata.category(ch)
    if cat in ("Lo", "Lm"):
        return CJK if unicodedata.east_asian_width(ch) in ("W", "F") else ALPHA
    if cat == "Nl" and unicodedata.east_asian_width(ch) in ("W", "F"):
        return CJK
    if cat in ("Lu", "Ll", "Lt"):
        return ALPHA
    if cat == "Nd":
        return DIGIT
    if cat in ("Mn", "Mc", "Me"):
        return MARK
    return BOUNDARY


def normalise(text, nfkc=True, casefold=True):
    if nfkc and casefold:
        return unicodedata.normalize("NFKC", unicodedata.normalize("NFKD", text).casefold())
    if nfkc:
        return unicodedata.normalize("NFKC", text)
    if casefold:
        return text.casefold()
    return text


# Script folding (on by default): OpenCC's t2s after NFKC and case folding, computed here with
# the `opencc` command (Debian's peer), many texts in one call between separators that no
# dictionary entry holds.
FOLDED = {}
SEP = "\ue000\n\ue000"


def opencc_t2s(strings):
    if not strings:
        return []
    out = subprocess.run(["opencc", "-c", "t2s"], input=SEP.join(strings).encode("utf-8"),
                         capture_output=True, check=True).stdout.decode("utf-8")
    parts = out.split(SEP)
    assert len(parts) == len(strings), "opencc kept the separators"
    return parts


def prefold(texts, nfkc=True, casefold=True):
    todo = sorted({normalise(t, nfkc, casefold) for t in texts} - set(FOLDED))
    FOLDED.update(zip(todo, opencc_t2s(todo)))


def fold(s):
    if s not in FOLDED:
        prefold([s], False, False)
    return FOLDED[s]


def load_stopwords(path, nfkc=True, casefold=True):
    entries = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip(" \t\r\n")
            if line and not line.startswith("#"):
                entries.add(fold(normalise(line, nfkc, casefold)))
    return entries


def tokenize(text, lo, hi, stop=frozenset(), nfkc=True, casefold=True, folding=True):
    s = normalise(text, nfkc, casefold)
    if folding:
        s = fold(s)
    edge = {e for e in stop if len(e) == 1}
    out = []

    def emit(tok):
        if tok not in stop:
            out.append(tok)

    i = 0
    while i < len(s):
        cls = classify(s[i])
        if cls in (BOUNDARY, MARK):
            i += 1
            continue
        units = []  # characters, each with its marks
        while True:
            j = i + 1
            while j < len(s) and classify(s[j]) == MARK:
                j += 1
            units.append(s[i:j])
            i = j
            if i >= len(s):
                break
            if classify(s[i]) == cls:
                continue
            if (cls == DIGIT and s[i] == "." and i + 1 < len(s)
                    and classify(s[i + 1]) == DIGIT):
                units[-1] += "."
                i += 1
                continue
            break
        if cls == CJK:
            for a in range(len(units)):
                for n in range(lo, hi + 1):
                    if a + n > len(units):
                        break
                    if n > 1 and (units[a][0] in edge or units[a + n - 1][0] in edge):
                        continue
                    emit("".join(units[a:a + n]))
        else:
            emit("".join(units))
    return out


SAMPLE = [
    "２００１年，社区建设😀GDP增长22.4%\n",
    "家👨‍👩‍👧庭 a\u200db 社\u200b区 社\u3000区 社\u00a0区",
    "café naïve cafe\u0301 Straße ΣΟΦΟΣ σοφος Москва市 ΟΔΥΣΣΕΥΣ",
    "ひらがなカタカナ漢字한국어 ｶﾀｶﾅ 々ー 𠀀𠀁社区",
    "ภาษาไทย हिन्दी मराठी مرحبا שלום",
    "1.2.3. 3..4 .5 5. ٣٤ १२ 1️⃣ ①② x² ½ Ⅻ H₂O 10%",
    "「社区」『服务』《报告》【通知】——……·・社区·服务",
    "Ｈｅｌｌｏ，Ｗｏｒｌｄ！ iPhone15Pro 5G网络 COVID-19疫情",
    "👍🏽🇨🇳 ❤️社区 ™ ﬁ ℃ ㊣ ㍿ 豈 𝐀𝐁𝐂",
    " \u0301社区 \u20dd 居民\u0301群众 Ωmega ǅemal",
    "\t社区\r\n建设\r服务\n\n2009年12月25日 15:08:00",
]


# Pieces for random texts (a fixed seed): every class, boundaries of every kind, combining
# marks of several classes (so that canonical reordering is exercised), 〇, and digits of
# several scripts around '.'.
PIECES = (list("社区建设服务的了之") + ["𠀀", "あ", "ア", "한", "ｶ", "々"]
          + list("aBcZé") + ["e\u0301", "a\u0308", "\u0301", "\u0308", "Σ", "ς", "Д", "ß"]
          + list("0123456789") + [".", ".", "Ａ", "①", "²", "½", "〇", "٣", "२", "\u0323"]
          + [" ", "\u3000", "\n", "\t", "，", "。", "-", "%", "“", "”", "·"]
          + ["😀", "\u200d", "\ufe0f", "\u20e3", "👨\u200d👩", "\U0001F3FD", "🇨🇳"]
          + ["\u0e01", "\u0e34", "\u0915", "\u093f", "\u200b", "\u00ad"])


def random_texts(n, seed=20260127):
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def run_tokens(path, *args):
    # --keep-chrome: the samples are tokeniser cases, and some of them (lists of short words,
    # a timestamp) are page chrome by comptext/chrome.h's rules
    p = subprocess.run([COMPTEXT, "tokens", "--quiet", "--keep-chrome", *args, path],
                       capture_output=True)
    if p.returncode != 0:
        raise SystemExit(f"comptext tokens {args} {path}: exit {p.returncode}: "
                         f"{p.stderr.decode(errors='replace')}")
    return [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]


failures = 0
compared = 0


def compare(label, got, expect):
    global failures, compared
    compared += 1
    if got != expect:
        failures += 1
        # The first difference, for the log.
        k = next((i for i, (g, e) in enumerate(zip(got, expect)) if g != e),
                 min(len(got), len(expect)))
        print(f"FAIL {label}: token {k}: comptext {got[k:k + 5]} vs rules {expect[k:k + 5]} "
              f"({len(got)} vs {len(expect)} tokens)", file=sys.stderr)


def main():
    with tempfile.TemporaryDirectory(prefix="ct-rules-") as tmp:
        sample = os.path.join(tmp, "sample.jsonl")
        with open(sample, "w", encoding="utf-8") as f:
            for i, text in enumerate(SAMPLE):
                f.write(json.dumps({"id": f"s{i}", "text": text}, ensure_ascii=False) + "\n")
        variants = [
            (1, 3, True, True), (1, 1, True, True), (2, 4, True, True), (3, 3, True, True),
            (1, 2, False, True), (1, 2, True, False), (1, 2, False, False),
        ]
        for lo, hi, nfkc, cf in variants:
            args = ["-n", f"{lo}-{hi}", "--stopwords", "none"]
            if not nfkc:
                args.append("--no-nfkc")
            if not cf:
                args.append("--no-casefold")
            prefold(SAMPLE, nfkc, cf)
            docs = run_tokens(sample, *args)
            for i, text in enumerate(SAMPLE):
                compare(f"sample {i} {' '.join(args)}", docs[i]["tokens"],
                        tokenize(text, lo, hi, frozenset(), nfkc, cf))
            docs = run_tokens(sample, "--no-fold-script", *args)
            for i, text in enumerate(SAMPLE):
                compare(f"sample {i} --no-fold-script {' '.join(args)}", docs[i]["tokens"],
                        tokenize(text, lo, hi, frozenset(), nfkc, cf, folding=False))
        # Random texts from the pieces above.
        rand = os.path.join(tmp, "random.jsonl")
        texts = random_texts(400)
        with open(rand, "w", encoding="utf-8") as f:
            for i, text in enumerate(texts):
                f.write(json.dumps({"id": f"r{i}", "text": text}, ensure_ascii=False) + "\n")
        for lo, hi, nfkc, cf in [(1, 3, True, True), (2, 4, True, True), (1, 2, False, False)]:
            args = ["-n", f"{lo}-{hi}", "--stopwords", "none"]
            if not nfkc:
                args += ["--no-nfkc", "--no-casefold"]
            prefold(texts, nfkc, cf)
            docs = run_tokens(rand, *args)
            for i, text in enumerate(texts):
                compare(f"random text {i} {text!r} {' '.join(args)}", docs[i]["tokens"],
                        tokenize(text, lo, hi, frozenset(), nfkc, cf))
        # Without -n: the default range of include/comptext/tokenize.h, which --help and the
        # README must state.
        with open(os.path.join(SOURCE, "include", "comptext", "tokenize.h")) as f:
            header = f.read()
        lo = int(re.search(r"#define CT_NGRAM_MIN_DEFAULT (\d+)", header).group(1))
        hi = int(re.search(r"#define CT_NGRAM_MAX_DEFAULT (\d+)", header).group(1))
        docs = run_tokens(sample, "--stopwords", "none")
        for i, text in enumerate(SAMPLE):
            compare(f"sample {i} default range {lo}-{hi}", docs[i]["tokens"],
                    tokenize(text, lo, hi))
        help_text = subprocess.run([COMPTEXT, "tokens", "--help"], capture_output=True,
                                   text=True).stdout
        compare("--help states the default range", [f"(default: {lo}-{hi})" in help_text],
                [True])
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            compare("README states the default range", [f"default `{lo}-{hi}`" in f.read()],
                    [True])
        # With the shipped stopword list.
        stop = load_stopwords(os.path.join(SOURCE, "corpora", "stopwords-zh.txt"))
        docs = run_tokens(sample, "-n", "1-3")
        for i, text in enumerate(SAMPLE):
            compare(f"sample {i} stopwords", docs[i]["tokens"], tokenize(text, 1, 3, stop))
    # The default corpus, read here as UTF-8 with line ends normalised.
    cities = os.path.join(SOURCE, "corpora", "cities")
    docs = run_tokens(cities, "-n", "1-3")
    files = sorted((n for n in os.listdir(cities) if n.endswith(".txt")),
                   key=lambda n: n.encode("utf-8"))
    for doc, name in zip(docs, files):
        with open(os.path.join(cities, name), encoding="utf-8-sig", newline="") as f:
            text = f.read().replace("\r\n", "\n").replace("\r", "\n")
        compare(f"cities/{name}", doc["tokens"], tokenize(text, 1, 3, stop))
    compare("cities document count", [len(docs)], [len(files)])
    folder = os.path.join(SHARED, "corpora", "gov-reports-txt")
    if os.path.isdir(folder):
        names = sorted((n for n in os.listdir(folder) if n.endswith(".txt")),
                       key=lambda n: n.encode("utf-8"))
        for name in (names[0], names[len(names) // 2], names[-1]):
            path = os.path.join(folder, name)
            docs = run_tokens(path, "-n", "1-2")
            with open(path, encoding="utf-8-sig", newline="") as f:
                text = f.read().replace("\r\n", "\n").replace("\r", "\n")
            compare(f"gov-reports-txt/{name}", docs[0]["tokens"], tokenize(text, 1, 2, stop))
    else:
        print(f"note: {folder} is absent; the government reports part is skipped")
    print(f"{compared} comparisons, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
