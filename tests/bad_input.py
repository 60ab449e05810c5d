#!/usr/bin/python3
"""bad_input.py — the bad-input catalogue: every reader and option fed what scrapers and
users really produce, for every command.

Each entry of CASES is one bad (or borderline) input: the files it needs, the arguments,
the exit status the command-line contract (../shared/CLI.md) asks for, and regular
expressions the message on stderr must match — naming the file and the line or byte offset.
Every case is run for every command that takes a CORPUS (the list comes from
`comptext --help`, so commands added later are covered without editing this file; a
command that needs an option of its own gets it from EXTRA_ARGS). For each run the script
also checks what must always hold:
  - the exit status is the expected one, never a signal and never 126 or more;
  - no hang (a timeout per run);
  - with -o, nothing is left behind after a failure: neither the output nor a temporary file
    (the output goes to a directory of its own, which must stay empty).
Where the contract is silent the expected behaviour is decided here and listed in README.md
("Bad input"): an empty file is a document with no tokens; an empty folder is an error.

Environment: COMPTEXT (the binary); COMPTEXT_WRAPPER (optional, e.g. a valgrind command,
set by `meson test --setup=valgrind`) runs every comptext process under it, with longer
timeouts and smaller "huge" inputs. Cases needing root (a full disk on a 64 KiB tmpfs, a
read-only file system) are skipped with a message otherwise. Run:
    COMPTEXT=build/src/cli/comptext /usr/bin/python3 tests/bad_input.py [-v] [-k SUBSTRING]
"""
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

COMPTEXT = os.environ.get("COMPTEXT", "")
WRAPPER = shlex.split(os.environ.get("COMPTEXT_WRAPPER", ""))
TIMEOUT = 120 if not WRAPPER else 1200
BIG = (8 if not WRAPPER else 1) * 1024 * 1024  # "a single line of many megabytes"
VERBOSE = "-v" in sys.argv
ONLY = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None

# Options a command needs besides CORPUS to run at all. keyness needs a target that exists
# whatever the case's corpus is: every keyness run gets one more, good, document
# (zz-target.txt, written into the case's folder) and targets it.
EXTRA_ARGS = {
    "kwic": ["--term", "社区"],
    "keyness": ["--target", "zz-target", "zz-target.txt"],
    # GOOD_A and GOOD_B share 社区建设: short enough settings make it a passage, so that
    # reuse has something to write.
    "reuse": ["--shingle", "4", "--min-shingles", "1", "--min-length", "4"],
}
# zz-target.txt: UTF-8 that is also valid GB18030 (an even number of 3-byte characters
# between ASCII bytes), so that it reads whatever --encoding says; commas, not spaces, between
# the words, since a line of four short words between spaces is a site menu (page chrome).
EXTRA_FILES = {
    "keyness": {"zz-target.txt": "社区建设,城乡社区,社区服务,社区建设\n".encode()},
}
# Commands for which a run expected to succeed may also fail cleanly (exit 1 with a message)
# because of what they compute: keyness needs terms on both sides of the comparison.
MAY_HAVE_NOTHING = {"keyness"}


def extra(command, root):
    """The extra arguments of command, after writing the files they name into root."""
    for rel, data in EXTRA_FILES.get(command, {}).items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    return EXTRA_ARGS.get(command, [])


# Commands whose -o names a directory (it must not exist after a failure either).
OUTPUT_IS_DIR = {"compare"}

GOOD_A = "社区建设取得成效，和谐社区。\n".encode()
GOOD_B = "城乡社区服务，社区建设。\n".encode()
FIFO = object()  # marker in a case's files: make a named pipe


def commands():
    """The commands `comptext --help` lists, with the options each one's --help shows."""
    out = subprocess.run([COMPTEXT, "--help"], capture_output=True, text=True, timeout=60).stdout
    names = re.findall(r"^  (\S+)\s{2,}", out.split("Commands:", 1)[1], re.M)
    result = {}
    for name in names:
        h = subprocess.run([COMPTEXT, name, "--help"], capture_output=True, text=True, timeout=60)
        if "CORPUS" in h.stdout:
            result[name] = h.stdout
    return result


def case(name, files, args, status, messages=(), stdin=None, only=None, check=None,
         output=True, root=False):
    """One catalogue entry. files: {relative path: bytes, or None for a directory, or
    FIFO}; args: the arguments after the command (paths relative to the case's folder);
    status: the expected exit status (a set when it may vary by command); messages: regular
    expressions stderr must match; only: command names the case applies to (None: all);
    check(stdout, command): extra checks on success; output: add -o when the command has
    it; root: needs root (skipped otherwise)."""
    return dict(name=name, files=files, args=args, status=status, messages=messages,
                stdin=stdin, only=only, check=check, output=output, root=root)


def tokens_are(expected):
    def check(stdout, command):
        if command == "tokens" and stdout != expected:
            return "stdout is %r, expected %r" % (stdout[:200], expected)
        return None
    return check


def no_terms(stdout, command):
    body = stdout.split("\n", 1)[1] if "\n" in stdout else stdout  # after the header row
    if command in ("ngrams", "tf", "tfidf") and body.strip():
        return "expected no terms, got %r" % stdout[:200]
    return None


def manifest(text):
    return {"c/manifest.tsv": text.encode(), "c/a.txt": GOOD_A, "c/b.txt": GOOD_B}


def _zip(parts):
    """A ZIP archive of {name: text} in memory."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD_DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml":
                  '<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>社区建设</w:t></w:r></w:p>'
                  "</w:body></w:document>" % _W})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>",
             "xl/worksheets/sheet1.xml": "<worksheet/>"})
# A PDF cut short: the header and a first object, no cross-reference table, no %%EOF.
TRUNCATED_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty"


def _reader_built(ext):
    """Whether comptext was built with the DOCX or PDF reader (-Ddocx/-Dpdf)."""
    if not COMPTEXT:
        return True
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "probe" + ext)
        open(path, "wb").close()
        r = subprocess.run([COMPTEXT, "tokens", path], capture_output=True, text=True)
        return "built without" not in r.stderr


HAVE_READER = {"docx": _reader_built(".docx"), "pdf": _reader_built(".pdf")}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))


CASES = [
    # --- plain text files: encodings -------------------------------------------------------
    case("overlong UTF-8, --encoding utf-8", {"t.txt": b"abc\xc0\xafdef\n"},
         ["--encoding", "utf-8", "t.txt"], 1,
         [r"t\.txt:1: invalid UTF-8 \(byte 0xC0\).*byte offset 3"]),
    case("overlong UTF-8, auto, GB18030 fails too", {"t.txt": b"ok\nabc\xc0\xaf\x80\n"},
         ["t.txt"], 1, [r"t\.txt:2: neither valid UTF-8 .*nor valid GB18030.*byte offset 6"]),
    case("overlong NUL (C0 80), --encoding utf-8", {"t.txt": b"a\xc0\x80b"},
         ["--encoding", "utf-8", "t.txt"], 1, [r"t\.txt:1: invalid UTF-8 \(byte 0xC0\)"]),
    case("four-byte overlong (F0 80 80 80), auto", {"t.txt": b"x\xf0\x80\x80\x80"},
         ["t.txt"], 1, [r"t\.txt:1: neither valid UTF-8.*byte offset 1"]),
    case("encoded surrogate, --encoding utf-8", {"t.txt": "社区\n".encode() + b"a\xed\xa0\x80b"},
         ["--encoding", "utf-8", "t.txt"], 1,
         [r"t\.txt:2: invalid UTF-8 \(byte 0xED\).*byte offset 8"]),
    case("encoded surrogate, auto", {"t.txt": b"a\xed\xb0\x80b"}, ["t.txt"], 1,
         [r"t\.txt:1: neither valid UTF-8 \(byte 0xED at offset 1\) nor valid GB18030"]),
    case("code point above U+10FFFF", {"t.txt": b"a\xf4\x90\x80\x80"},
         ["--encoding", "utf-8", "t.txt"], 1, [r"t\.txt:1: invalid UTF-8 \(byte 0xF4\)"]),
    case("sequence truncated at the end, --encoding utf-8", {"t.txt": "社区".encode() + b"\xe4\xb8"},
         ["--encoding", "utf-8", "t.txt"], 1, [r"t\.txt:1: invalid UTF-8.*byte offset 6"]),
    case("sequence truncated mid-text, auto, GB18030 fails", {"t.txt": b"ab\xe4\xb8\n\xff"},
         ["t.txt"], 1, [r"t\.txt:1: neither valid UTF-8.*byte offset 2"]),
    case("stray continuation byte 0x80 and 0xFF", {"t.txt": b"\x80\xff"},
         ["t.txt"], 1, [r"t\.txt(:1:|: byte offset 0:) neither valid UTF-8"]),
    case("invalid GB18030 with --encoding gb18030", {"t.txt": b"\xc9\xe7\xff\xff"},
         ["--encoding", "gb18030", "t.txt"], 1,
         [r"t\.txt:1: invalid GB18030 \(byte 0xFF\).*byte offset 2"]),
    case("GB18030 in auto mode is read, with a note", {"t.txt": "社区建设\n".encode("gb18030")},
         ["-n", "1-3", "t.txt"], 0, [r"note: t\.txt: not valid UTF-8, read as GB18030"],
         only={"tokens", "ngrams"},
         check=tokens_are('{"id": "t", "tokens": ["社", "社区", "社区建", "区", "区建", "区建设", "建", "建设", "设"]}\n')),
    case("GB18030 in auto mode is read by every command", {"t.txt": "社区建设\n".encode("gb18030")},
         ["t.txt"], 0, [r"note: t\.txt: not valid UTF-8, read as GB18030"]),
    case("NUL byte in a text file", {"t.txt": b"ab\ncd\x00ef"}, ["t.txt"], 1,
         [r"t\.txt:2: NUL byte.*byte offset 5"]),
    case("NUL byte with --encoding gb18030", {"t.txt": b"\x00"},
         ["--encoding", "gb18030", "t.txt"], 1, [r"t\.txt(:1:|: byte offset 0:) NUL byte"]),
    case("UTF-16LE with byte-order mark", {"t.txt": "社区\n".encode("utf-16")}, ["t.txt"], 1,
         [r"t\.txt(:1:|: byte offset 0:) this looks like UTF-16 \(byte-order mark FF FE\)"]),
    case("UTF-16BE with byte-order mark", {"t.txt": b"\xfe\xff" + "社区 ab".encode("utf-16-be")},
         ["--encoding", "utf-8", "t.txt"], 1, [r"t\.txt(:1:|: byte offset 0:) this looks like UTF-16"]),
    case("UTF-16LE without byte-order mark", {"t.txt": "ab 社区\n".encode("utf-16-le")},
         ["t.txt"], 1, [r"t\.txt:1: NUL byte.*byte offset 1"]),
    case("UTF-16LE without byte-order mark is named", {"t.txt": "ab 社区\n".encode("utf-16-le")},
         ["t.txt"], 1, [r"t\.txt:1: NUL byte: this looks like UTF-16LE without a byte-order mark"]),
    case("UTF-16BE without byte-order mark is named", {"t.txt": "ab 社区\n".encode("utf-16-be")},
         ["t.txt"], 1, [r"t\.txt:1: NUL byte: this looks like UTF-16BE without a byte-order mark"]),
    # UTF-32 has its own message, with and without a byte-order mark (FF FE 00 00 is not
    # taken for UTF-16's FF FE).
    case("UTF-32LE with byte-order mark", {"t.txt": "社区\n".encode("utf-32")}, ["t.txt"], 1,
         [r"t\.txt(:1:|: byte offset 0:) this looks like UTF-32LE \(byte-order mark\)"]),
    case("UTF-32BE with byte-order mark", {"t.txt": b"\x00\x00\xfe\xff" + "社区 ab\n".encode("utf-32-be")},
         ["t.txt"], 1, [r"this looks like UTF-32BE \(byte-order mark\); convert it to UTF-8 first, "
                        r"e\.g\. iconv -f UTF-32BE"]),
    case("UTF-32LE without byte-order mark", {"t.txt": "ab 社区\n".encode("utf-32-le")},
         ["t.txt"], 1, [r"t\.txt(:1:|: byte offset 0:) this looks like UTF-32LE \(no byte-order mark\)"]),
    case("UTF-32BE without byte-order mark", {"t.txt": "社区建设\n".encode("utf-32-be")},
         ["--encoding", "utf-8", "t.txt"], 1, [r"this looks like UTF-32BE \(no byte-order mark\)"]),
    # Big5 is nearly always valid GB18030 too (and reads as nonsense there): auto mode names
    # and reads it as Big5 when its bytes look like Big5 (trail bytes 40-7E, or pairs where
    # GB18030 has only private-use characters); GB18030 text stays GB18030.
    case("Big5 in auto mode is read as Big5, with a note",
         {"t.txt": "社區建設，我們的國家。\n".encode("big5")}, ["-n", "2", "t.txt"], 0,
         [r"note: t\.txt: not valid UTF-8, read as Big5"],
         only={"tokens"}, check=tokens_are('{"id": "t", "tokens": ["社区", "区建", "建设", "国家"]}\n')),
    case("Big5 without punctuation (private-use pairs in GB18030)",
         {"t.txt": "社區".encode("big5")}, ["-n", "2", "t.txt"], 0,
         [r"read as Big5"], only={"tokens"},
         check=tokens_are('{"id": "t", "tokens": ["社区"]}\n')),
    case("Big5 in auto mode is read by every command", {"t.txt": "社區建設，社區服務。\n".encode("big5")},
         ["t.txt"], 0, [r"note: t\.txt: not valid UTF-8, read as Big5"]),
    case("--encoding big5", {"t.txt": "社區建設\n".encode("big5")},
         ["--encoding", "big5", "-n", "2", "t.txt"], 0, only={"tokens"},
         check=tokens_are('{"id": "t", "tokens": ["社区", "区建", "建设"]}\n')),
    case("invalid Big5 with --encoding big5", {"t.txt": "社區".encode("big5") + b"\xa1\x20"},
         ["--encoding", "big5", "t.txt"], 1, [r"t\.txt:1: invalid Big5 \(byte 0xA1\).*byte offset 4"],
         only={"tokens", "ngrams"}),
    case("GB18030 that is also valid Big5 stays GB18030",
         {"t.txt": "社区建设，国家发展。\n".encode("gb18030")}, ["-n", "2", "t.txt"], 0,
         [r"read as GB18030"], only={"tokens"},
         check=tokens_are('{"id": "t", "tokens": ["社区", "区建", "建设", "国家", "家发", "发展"]}\n')),
    case("empty file: a document with no tokens", {"t.txt": b""}, ["t.txt"], {0, 1},
         check=tokens_are('{"id": "t", "tokens": []}\n')),
    case("byte-order mark only", {"t.txt": b"\xef\xbb\xbf"}, ["t.txt"], {0, 1},
         check=tokens_are('{"id": "t", "tokens": []}\n')),
    case("a single line of many megabytes", {"big.txt": "社区建设和谐城乡".encode() * (BIG // 24)},
         ["big.txt"], {0, 1}, only={"ngrams", "tf"},
         check=lambda out, cmd: None if "社区\t" in out or cmd != "ngrams" else "社区 not counted"),
    case("a huge file with an invalid byte at its end",
         {"big.txt": b"a" * BIG + b"\n\xff"}, ["--encoding", "utf-8", "big.txt"], 1,
         [r"big\.txt:2: invalid UTF-8 \(byte 0xFF\).*byte offset %d" % (BIG + 1)],
         only={"tokens", "ngrams"}),
    # --- paths and directories ---------------------------------------------------------------
    case("missing corpus path", {}, ["nothere.txt"], 1,
         [r"nothere\.txt: cannot open: No such file or directory"]),
    case("empty folder", {"d": None}, ["d"], 1, [r"d: no \.txt files in this directory"]),
    case("folder with no .txt files", {"d/a.md": GOOD_A, "d/.hidden.txt": GOOD_A}, ["d"], 1,
         [r"d: no \.txt files"]),
    case("one bad file among good ones", {"d/a.txt": GOOD_A, "d/b.txt": b"x\xff\xfe"},
         ["--encoding", "utf-8", "d"], 1, [r"d/b\.txt:1: invalid UTF-8 \(byte 0xFF\)"]),
    case("the same folder twice: duplicate ids", {"d/a.txt": GOOD_A, "d/b.txt": GOOD_B},
         ["d", "d"], 1, [r'd/a\.txt: duplicate document id "a": already used by d/a\.txt']),
    case("two files with the same id", {"x/a.txt": GOOD_A, "y/a.txt": GOOD_B, "y/b.txt": GOOD_B},
         ["x/a.txt", "y"], 1, [r'y/a\.txt: duplicate document id "a": already used by x/a\.txt']),
    case("a named pipe in a folder is not a document", {"d/a.txt": GOOD_A, "d/b.txt": GOOD_B,
                                                        "d/p.txt": FIFO}, ["d"], 0),
    # --- standard input --------------------------------------------------------------------------
    case("standard input: invalid UTF-8", {}, ["--encoding", "utf-8", "-"], 1,
         [r"-:2: invalid UTF-8 \(byte 0xC3\).*byte offset 3"], stdin=b"ab\n\xc3("),
    case("standard input: NUL byte", {}, ["-"], 1, [r"-(:1:|: byte offset 0:) NUL byte"],
         stdin=b"\x00abc"),
    case("standard input: empty", {}, ["-"], {0, 1}, stdin=b"",
         check=tokens_are('{"id": "stdin", "tokens": []}\n')),
    case("standard input twice: duplicate id", {}, ["-", "-"], 1,
         [r'-: duplicate document id "stdin"'], stdin=GOOD_A),
    # --- manifest.tsv ----------------------------------------------------------------------------
    case("manifest row naming a missing file", manifest("file\tid\na.txt\tA\nnope.txt\tN\n"),
         ["c"], 1, [r'c/manifest\.tsv:3: file "nope\.txt" does not exist in c']),
    case("manifest row naming a directory", {**manifest("file\tid\nsub\tS\n"), "c/sub": None},
         ["c"], 1, [r'c/manifest\.tsv:2: file "sub" does not exist']),
    case("manifest row naming a hidden file, in a folder without other .txt files",
         {"c/manifest.tsv": b"file\tid\n.h.txt\tH\n", "c/.h.txt": GOOD_A}, ["c"], 1,
         [r'c/manifest\.tsv:2: file "\.h\.txt" is not one of the directory\'s \.txt files']),
    case("manifest with rows but an empty folder", {"c/manifest.tsv": b"file\tid\n"}, ["c"], 1,
         [r"c: no \.txt files"]),
    case("manifest: duplicate ids", manifest("file\tid\na.txt\tX\nb.txt\tX\n"), ["c"], 1,
         [r'c/b\.txt: duplicate document id "X": already used by c/a\.txt']),
    case("manifest: a file listed twice", manifest("file\tid\na.txt\tA\nb.txt\tB\na.txt\tC\n"),
         ["c"], 1, [r'c/manifest\.tsv:4: file "a\.txt" is listed twice \(also on line 2\)']),
    case("manifest without a file column", manifest("id\tcity\nA\t泰州\n"), ["c"], 1,
         [r'c/manifest\.tsv:1: the header row has no column named "file"']),
    case("manifest row with too few fields", manifest("file\tid\tcity\na.txt\tA\n"), ["c"], 1,
         [r"c/manifest\.tsv:2: 2 fields, but the header has 3"]),
    case("manifest row with an empty file field", manifest("file\tid\n\tA\n"), ["c"], 1,
         [r'c/manifest\.tsv:2: empty "file" field']),
    case("manifest header with an empty column name", manifest("file\t\tid\n"), ["c"], 1,
         [r"c/manifest\.tsv:1: empty column name"]),
    case("empty manifest", manifest(""), ["c"], 1, [r"c/manifest\.tsv: the manifest is empty"]),
    case("manifest with invalid UTF-8", {**manifest(""), "c/manifest.tsv": b"file\tid\na.txt\t\xff\n"},
         ["c"], 1, [r"c/manifest\.tsv:2: invalid UTF-8 \(byte 0xFF\); a manifest must be UTF-8.*byte offset 14"]),
    case("manifest with a NUL byte", {**manifest(""), "c/manifest.tsv": b"file\tid\na.txt\tA\x00\n"},
         ["c"], 1, [r"c/manifest\.tsv:2: NUL byte.*byte offset 15"]),
    case("manifest in UTF-16", {**manifest(""), "c/manifest.tsv": "file\tid\n".encode("utf-16")},
         ["c"], 1, [r"c/manifest\.tsv(:1:|: byte offset 0:) this looks like UTF-16"]),
    # --- JSON Lines ------------------------------------------------------------------------------
    case("broken JSON line", {"x.jsonl": b'{"id": "a", "text": "x"}\n{"id": "b", "text": \n'},
         ["x.jsonl"], 1, [r"x\.jsonl:2: invalid JSON at column \d+: .*byte offset \d+"]),
    case("JSON line that is not an object", {"x.jsonl": b'{"id": "a", "text": "x"}\n["b"]\n'},
         ["x.jsonl"], 1, [r"x\.jsonl:2: expected a JSON object"]),
    case("text field of the wrong type", {"x.jsonl": b'{"id": "a", "text": 12}\n'}, ["x.jsonl"], 1,
         [r'x\.jsonl:1: field "text" is not a string \(fields: "id", "text"\)']),
    case("text field missing: names the fields it has",
         {"x.jsonl": b'{"id": "a", "text": "x"}\n{"id": "b", "content": "y", "year": 2001}\n'},
         ["x.jsonl"], 1,
         [r'x\.jsonl:2: no text field "text" \(fields: "id", "content", "year"\); choose one with --text-field']),
    case("--text-field naming a missing field", {"x.jsonl": b'{"id": "a", "text": "x"}\n'},
         ["--text-field", "body", "x.jsonl"], 1, [r'x\.jsonl:1: no text field "body"']),
    case("id field of the wrong type (object)", {"x.jsonl": b'{"id": {"n": 1}, "text": "x"}\n'},
         ["x.jsonl"], 1, [r'x\.jsonl:1: id field "id" is not a string or number']),
    case("id field of the wrong type (boolean)", {"x.jsonl": b'{"id": true, "text": "x"}\n'},
         ["x.jsonl"], 1, [r'x\.jsonl:1: id field "id" is not a string or number']),
    case("empty id: refused, as an empty id cell of a table is",
         {"x.jsonl": '{"id": "a", "text": "社区"}\n{"id": "", "text": "建设"}\n'.encode()},
         ["x.jsonl"], 1, [r'x\.jsonl:2: empty id in field "id"']),
    case("empty id in the --id-field field",
         {"x.jsonl": '{"name": "", "text": "社区"}\n'.encode()}, ["--id-field", "name", "x.jsonl"],
         1, [r'x\.jsonl:1: empty id in field "name"']),
    case("blank id (white space only): refused as an empty one",
         {"x.jsonl": '{"id": "a", "text": "社区"}\n{"id": "  ", "text": "建设"}\n'.encode()},
         ["x.jsonl"], 1, [r'x\.jsonl:2: blank \(white space only\) id in field "id"']),
    case("blank id of ideographic spaces",
         {"x.jsonl": '{"id": "\u3000\u3000", "text": "社区"}\n'.encode()},
         ["x.jsonl"], 1, [r'x\.jsonl:1: blank \(white space only\) id in field "id"']),
    case("a year that is no number: an error naming the line",
         {"x.jsonl": '{"id": "a", "year": 2001, "text": "社区建设"}\n'
                     '{"id": "b", "year": "abc", "text": "建设社区"}\n'.encode()},
         ["x.jsonl"], 1, [r'x\.jsonl:2: field "year" is "abc", not a number'],
         only=("themes", "compare")),
    case("a year that runs on into letters",
         {"x.jsonl": '{"id": "a", "year": "19x5", "text": "社区建设"}\n'
                     '{"id": "b", "year": "2016年", "text": "建设社区"}\n'.encode()},
         ["x.jsonl"], 1, [r'x\.jsonl:1: field "year" is "19x5", not a number'],
         only=("themes", "compare")),
    case("duplicate ids in one file",
         {"x.jsonl": b'{"id": "a", "text": "x"}\n\n{"id": "a", "text": "y"}\n'}, ["x.jsonl"], 1,
         [r'x\.jsonl:3: duplicate document id "a": already used by x\.jsonl:1']),
    case("duplicate ids across two files", {"x.jsonl": b'{"id": 7, "text": "x"}\n',
                                            "y.jsonl": b'{"id": "7", "text": "y"}\n'},
         ["x.jsonl", "y.jsonl"], 1, [r'y\.jsonl:1: duplicate document id "7": already used by x\.jsonl:1']),
    case("duplicate key in an object", {"x.jsonl": b'{"id": "a", "text": "x", "id": "b"}\n'},
         ["x.jsonl"], 1, [r"x\.jsonl:1: invalid JSON at column \d+: duplicate object key"]),
    case("invalid UTF-8 in a JSON line", {"x.jsonl": b'{"id": "a", "text": "x"}\n{"id": "b", "text": "\xc0\xaf"}\n'},
         ["x.jsonl"], 1, [r"x\.jsonl:2: invalid UTF-8 \(byte 0xC0\); JSON Lines must be UTF-8.*byte offset 46"]),
    case("escaped lone surrogate in the text: read as U+FFFD",
         {"x.jsonl": b'{"id": "a", "text": "\\ud800x"}\n'}, ["x.jsonl"], 0,
         check=tokens_are('{"id": "a", "tokens": ["x"]}\n')),
    case("escaped lone surrogate in another field", {"x.jsonl": b'{"id": "\\udc00", "text": "x"}\n'},
         ["x.jsonl"], 1, [r"x\.jsonl:1: invalid JSON.*invalid Unicode"]),
    case("bad escape in the text", {"x.jsonl": b'{"id": "a", "text": "ab\\qc"}\n'}, ["x.jsonl"], 1,
         [r'x\.jsonl:1: invalid JSON string in field "text" at column 24 .byte offset 23']),
    case("raw control character in the text", {"x.jsonl": b'{"id": "a", "text": "a\tb"}\n'},
         ["x.jsonl"], 1, [r'x\.jsonl:1: invalid JSON string in field "text"']),
    case("escaped NUL in the text: a boundary, like any control character",
         {"x.jsonl": b'{"id": "a", "text": "x\\u0000y"}\n'}, ["x.jsonl"], 0,
         check=tokens_are('{"id": "a", "tokens": ["x", "y"]}\n')),
    case("NUL in the id field", {"x.jsonl": b'{"id": "a\\u0000", "text": "x"}\n'}, ["x.jsonl"], 1,
         [r'x\.jsonl:1: id field "id" contains a NUL character']),
    case("raw NUL byte in a JSON line", {"x.jsonl": b'{"id": "a", "text": "x"}\x00\n'}, ["x.jsonl"], 1,
         [r"x\.jsonl:1: invalid JSON"]),
    case("empty JSON Lines file", {"x.jsonl": b""}, ["x.jsonl"], 1,
         [r"x\.jsonl: no JSON records in this file"]),
    case("JSON Lines file of blank lines", {"x.jsonl": b"\n  \n\r\n"}, ["x.jsonl"], 1,
         [r"x\.jsonl: no JSON records"]),
    case("JSON Lines in UTF-16", {"x.jsonl": '{"id": "a", "text": "x"}\n'.encode("utf-16")},
         ["x.jsonl"], 1, [r"x\.jsonl:1: invalid UTF-8 \(byte 0xFF\); JSON Lines must be UTF-8"]),
    case("a JSON line of many megabytes",
         {"x.jsonl": b'{"id": "a", "text": "' + "社区建设和谐城乡".encode() * (BIG // 24) + b'"}\n'},
         ["x.jsonl"], {0, 1}, only={"ngrams", "tf"}),
    case("a JSON line of many megabytes, broken at its end",
         {"x.jsonl": b'{"id": "a", "text": "' + b"x" * BIG + b'\n'}, ["x.jsonl"], 1,
         [r"x\.jsonl:1: invalid JSON"], only={"tokens", "ngrams"}),
    # --- stopword lists --------------------------------------------------------------------------
    case("--stopwords: missing file", {"a.txt": GOOD_A}, ["--stopwords", "nope.txt", "a.txt"], 1,
         [r"nope\.txt: cannot open: No such file or directory"], only="has:--stopwords"),
    case("--stopwords: a directory", {"a.txt": GOOD_A, "sw": None}, ["--stopwords", "sw", "a.txt"],
         1, [r"sw: .*(Is a directory|read error)"], only="has:--stopwords"),
    case("--stopwords: invalid UTF-8", {"a.txt": GOOD_A, "sw.txt": "的\n了\n".encode() + b"\xe7\x9a\n"},
         ["--stopwords", "sw.txt", "a.txt"], 1, [r"sw\.txt:3: invalid UTF-8 \(byte 0xE7\); a stopword list must be UTF-8.*byte offset 8"],
         only="has:--stopwords"),
    case("--stopwords: NUL byte", {"a.txt": GOOD_A, "sw.txt": "的\n".encode() + b"x\x00y\n"},
         ["--stopwords", "sw.txt", "a.txt"], 1, [r"sw\.txt:2: NUL byte"], only="has:--stopwords"),
    case("--stopwords: UTF-16", {"a.txt": GOOD_A, "sw.txt": "的\n".encode("utf-16")},
         ["--stopwords", "sw.txt", "a.txt"], 1, [r"sw\.txt(:1:|: byte offset 0:) this looks like UTF-16"],
         only="has:--stopwords"),
    case("--stopwords: empty file is an empty list", {"a.txt": "的社区".encode(), "sw.txt": b""},
         ["--stopwords", "sw.txt", "-n", "1", "a.txt"], 0, only={"tokens", "ngrams"},
         check=tokens_are('{"id": "a", "tokens": ["的", "社", "区"]}\n')),
    # --- user dictionaries (--dict, where a command has it) ---------------------------------------
    case("--dict: missing file", {"a.txt": GOOD_A}, ["--dict", "nope.txt", "a.txt"], 1,
         [r"nope\.txt: cannot open"], only="has:--dict"),
    case("--dict: a directory", {"a.txt": GOOD_A, "dd": None}, ["--dict", "dd", "a.txt"], 1,
         [r"dd: "], only="has:--dict"),
    case("--dict: invalid UTF-8", {"a.txt": GOOD_A, "dict.txt": "社区\n".encode() + b"\xff\n"},
         ["--dict", "dict.txt", "a.txt"], 1, [r"dict\.txt:2: .*UTF-8"], only="has:--dict"),
    case("--dict: NUL byte", {"a.txt": GOOD_A, "dict.txt": "社区\n".encode() + b"\x00x\n"},
         ["--dict", "dict.txt", "a.txt"], 1, [r"dict\.txt:2: "], only="has:--dict"),
    case("--dict: UTF-16", {"a.txt": GOOD_A, "dict.txt": "社区\n".encode("utf-16")},
         ["--dict", "dict.txt", "a.txt"], 1, [r"dict\.txt(:1)?: "], only="has:--dict"),
    case("--dict: empty file is an empty dictionary", {"a.txt": GOOD_A, "dict.txt": b""},
         ["--dict", "dict.txt", "a.txt"], 0, only="has:--dict"),
    # --- files whose content does not match their name; DOCX, PDF -------------------------------
    case("a ZIP archive named .txt", {"t.txt": XLSX}, ["t.txt"], 1,
         [r"t\.txt: this is a ZIP archive \(an Excel \.xlsx workbook\), not text"]),
    case("a PDF named .txt", {"t.txt": TRUNCATED_PDF + b"\n%%EOF\n"}, ["t.txt"], 1,
         [r"t\.txt: this is a PDF file, not text \(name it \.pdf"]),
    case("a PNG image named .txt", {"t.txt": PNG}, ["t.txt"], 1, [r"t\.txt: this is a PNG image"]),
    case("a binary .txt in a folder", {"d/a.txt": GOOD_A, "d/b.txt": PNG}, ["d"], 1,
         [r"d/b\.txt: this is a PNG image, not text"]),
    case("an Excel workbook (.xlsx)", {"book.xlsx": XLSX}, ["book.xlsx"], 1,
         [r"book\.xlsx: Excel workbooks are not read: save the sheet as CSV"]),
    case("an Excel workbook named .csv", {"book.csv": XLSX}, ["book.csv"], 1,
         [r"book\.csv: this is a ZIP archive \(an Excel \.xlsx workbook\), not CSV"]),
    case("a DOCX is read", {"r.docx": GOOD_DOCX}, ["-n", "2", "r.docx"], 0, only={"tokens"},
         check=tokens_are('{"id": "r", "tokens": ["社区", "区建", "建设"]}\n')),
    case("a damaged (truncated) DOCX", {"r.docx": GOOD_DOCX[:len(GOOD_DOCX) // 2]}, ["r.docx"], 1,
         [r"r\.docx: damaged DOCX"]),
    case("a damaged DOCX in a folder", {"d/a.txt": GOOD_A, "d/r.docx": GOOD_DOCX[:40]}, ["d"], 1,
         [r"d/r\.docx: damaged DOCX"]),
    case("a DOCX whose XML does not parse", {"r.docx": _zip({"word/document.xml": "<w:document>"})},
         ["r.docx"], 1, [r"r\.docx: damaged DOCX: word/document\.xml line \d+: "]),
    case("an Excel workbook named .docx", {"r.docx": XLSX}, ["r.docx"], 1,
         [r"r\.docx: not a Word document: the archive has no word/document\.xml"]),
    case("a text file named .docx", {"r.docx": GOOD_A}, ["r.docx"], 1,
         [r"r\.docx: not a DOCX document: it is not a ZIP archive"]),
    case("a truncated PDF", {"r.pdf": TRUNCATED_PDF}, ["r.pdf"], 1,
         [r"r\.pdf: damaged PDF: no \"%%EOF\" marker at its end"]),
    case("a truncated PDF in a folder", {"d/a.txt": GOOD_A, "d/r.pdf": TRUNCATED_PDF}, ["d"], 1,
         [r"d/r\.pdf: damaged PDF"]),
    case("a PDF that does not parse", {"r.pdf": b"%PDF-1.4\ngarbage\n%%EOF\n"}, ["r.pdf"], 1,
         [r"r\.pdf: damaged PDF: "]),
    case("a text file named .pdf", {"r.pdf": GOOD_A}, ["r.pdf"], 1,
         [r'r\.pdf: not a PDF file: no "%PDF-" signature']),
    # --- CSV and TSV tables ------------------------------------------------------------------------
    case("CSV: unterminated quote", {"t.csv": "id,text\na,\"社区\nb,建设\n".encode()}, ["t.csv"], 1,
         [r"t\.csv:2: the quoted field 2 opened here never ends.*byte offset 10"]),
    case("CSV: wrong number of fields", {"t.csv": "id,text\na,社区\nb,建设,多余\n".encode()},
         ["t.csv"], 1, [r"t\.csv:3: 3 fields, but the header has 2"]),
    case("CSV: too few fields", {"t.csv": "id,city,text\na,北京\n".encode()}, ["t.csv"], 1,
         [r"t\.csv:2: 2 fields, but the header has 3"]),
    case("CSV: no text column", {"t.csv": "id,body,city\na,社区,北京\n".encode()}, ["t.csv"], 1,
         [r't\.csv:1: no text column "text" in the header \(columns: "id", "body", "city"\); '
          r"choose one with --text-field"]),
    case("CSV: a character after a closing quote", {"t.csv": 'id,text\na,"社区"x\n'.encode()},
         ["t.csv"], 1, [r"t\.csv:2: field 2: unexpected character after its closing quote"]),
    case("CSV: an empty column name", {"t.csv": "id,,text\na,b,c\n".encode()}, ["t.csv"], 1,
         [r"t\.csv:1: header: column 2 has an empty name"]),
    case("CSV: pandas' index written (to_csv without index=False)",
         {"t.csv": ",id,text\n0,a,社区\n".encode()}, ["t.csv"], 1,
         [r"t\.csv:1: header: column 1 has an empty name \(pandas' to_csv and R's write\.csv "
          r"write the row index so: save with index=False / row\.names = FALSE\)"]),
    case("CSV: a column named twice", {"t.csv": "id,text,text\na,b,c\n".encode()}, ["t.csv"], 1,
         [r't\.csv:1: header: column "text" appears twice']),
    case("CSV: an empty id", {"t.csv": "id,text\na,社区\n,建设\n".encode()}, ["t.csv"], 1,
         [r't\.csv:3: empty id in column "id"']),
    case("CSV: a blank id", {"t.csv": "id,text\na,社区\n\" \t\",建设\n".encode()}, ["t.csv"], 1,
         [r't\.csv:3: blank \(white space only\) id in column "id"']),
    case("manifest: a blank id", {"c/a.txt": GOOD_A, "c/manifest.tsv": b"file\tid\na.txt\t  \n"},
         ["c"], 1, [r'c/manifest\.tsv:2: blank \(white space only\) "id" field']),
    case("CSV: duplicate ids", {"t.csv": "id,text\na,社区\na,建设\n".encode()}, ["t.csv"], 1,
         [r't\.csv:3: duplicate document id "a": already used by t\.csv:2']),
    case("CSV: header only", {"t.csv": b"id,text\n"}, ["t.csv"], 1,
         [r"t\.csv: the table has a header row but no records"]),
    case("CSV: empty file", {"t.csv": b""}, ["t.csv"], 1, [r"t\.csv: the table is empty"]),
    case("CSV: NUL byte", {"t.csv": b"id,text\na,x\x00y\n"}, ["t.csv"], 1,
         [r"t\.csv:2: NUL byte"]),
    case("CSV: invalid UTF-8 with --encoding utf-8", {"t.csv": b"id,text\na,x\xffy\n"},
         ["--encoding", "utf-8", "t.csv"], 1, [r"t\.csv:2: invalid UTF-8 \(byte 0xFF\)"]),
    case("CSV in GB18030 is read, with a note",
         {"t.csv": "id,city,text\na,北京,\"社区\n建设\"\n".encode("gb18030")}, ["-n", "2", "t.csv"],
         0, [r"note: t\.csv: not valid UTF-8, read as GB18030"], only={"tokens"},
         check=tokens_are('{"id": "a", "tokens": ["社区", "建设"]}\n')),
    case("TSV: wrong number of fields", {"t.tsv": "id\ttext\na\t社区\tx\n".encode()}, ["t.tsv"],
         1, [r"t\.tsv:2: 3 fields, but the header has 2"]),
    case("TSV: unterminated quote", {"t.tsv": 'id\ttext\na\t"社区\n'.encode()}, ["t.tsv"], 1,
         [r"t\.tsv:2: the quoted field 2 opened here never ends"]),
    # --- impossible option values ------------------------------------------------------------------
    case("-n 0", {"a.txt": GOOD_A}, ["-n", "0", "a.txt"], 2, [r"--ngrams"]),
    case("-n 3-2", {"a.txt": GOOD_A}, ["-n", "3-2", "a.txt"], 2, [r"--ngrams"]),
    case("-n 1-17 (above the limit)", {"a.txt": GOOD_A}, ["-n", "1-17", "a.txt"], 2, [r"--ngrams"]),
    case("-n 1-x", {"a.txt": GOOD_A}, ["-n", "1-x", "a.txt"], 2, [r"--ngrams"]),
    case("-n -1", {"a.txt": GOOD_A}, ["--ngrams=-1", "a.txt"], 2, [r"--ngrams"]),
    case("-n 99999999999999999999", {"a.txt": GOOD_A}, ["-n", "99999999999999999999", "a.txt"], 2,
         [r"--ngrams"]),
    case("--threads 0", {"a.txt": GOOD_A}, ["--threads", "0", "a.txt"], 2, [r"--threads"]),
    case("--threads 65", {"a.txt": GOOD_A}, ["--threads", "65", "a.txt"], 2, [r"--threads"]),
    case("--threads two", {"a.txt": GOOD_A}, ["--threads", "two", "a.txt"], 2, [r"--threads"]),
    case("--encoding latin1", {"a.txt": GOOD_A}, ["--encoding", "latin1", "a.txt"], 2,
         [r"--encoding"]),
    case("--format xml", {"a.txt": GOOD_A}, ["--format", "xml", "a.txt"], 2, [r"--format"]),
    case("--norm l3", {"a.txt": GOOD_A}, ["--norm", "l3", "a.txt"], 2, [r"--norm"]),
    # Matrix Market needs -o (three files); a damaged model names the file.
    case("--format mtx to standard output", {"a.txt": GOOD_A}, ["--format", "mtx", "a.txt"], 2,
         [r"--format mtx", r"-o"], only={"tf", "tfidf"}, output=False),
    case("--model: truncated JSON", {"a.txt": GOOD_A, "m.json": b'{"format": "comptext-tf'},
         ["--model", "m.json", "a.txt"], 1, [r"m\.json:1:", r"model"], only={"tfidf"}),
    case("--model: a foreign JSON file", {"a.txt": GOOD_A, "m.json": b'{"terms": []}\n'},
         ["--model", "m.json", "a.txt"], 1, [r"m\.json", r"not a valid comptext TF-IDF model"],
         only={"tfidf"}),
    case("--model: missing file", {"a.txt": GOOD_A}, ["--model", "nope.json", "a.txt"], 1,
         [r"nope\.json", r"cannot read"], only={"tfidf"}),
    case("--model with -n", {"a.txt": GOOD_A, "m.json": b"{}"}, ["--model", "m.json", "-n", "2",
         "a.txt"], 2, [r"--model"], only={"tfidf"}),
    case("--min-df -1", {"a.txt": GOOD_A}, ["--min-df", "-1", "a.txt"], 2, [r"--min-df"]),
    case("--min-df 1.5 (a proportion above 1)", {"a.txt": GOOD_A}, ["--min-df", "1.5", "a.txt"], 2,
         [r"--min-df"]),
    case("--max-df nan", {"a.txt": GOOD_A}, ["--max-df", "nan", "a.txt"], 2, [r"--max-df"]),
    case("--max-df below --min-df", {"a.txt": GOOD_A}, ["--min-df", "3", "--max-df", "2", "a.txt"],
         2, [r"--m(in|ax)-df"]),
    case("--max-features 0", {"a.txt": GOOD_A}, ["--max-features", "0", "a.txt"], 2,
         [r"--max-features"]),
    case("--id-field empty", {"x.jsonl": b'{"id": "a", "text": "x"}\n'},
         ["--id-field", "", "x.jsonl"], 2, [r"--id-field: the field name is empty"]),
    case("--text-field empty", {"x.jsonl": b'{"id": "a", "text": "x"}\n'},
         ["--text-field=", "x.jsonl"], 2, [r"--text-field: the field name is empty"]),
    case("--id-field equal to --text-field", {"x.jsonl": b'{"id": "a", "text": "x"}\n'},
         ["--id-field", "text", "x.jsonl"], 2, [r"--id-field and --text-field name the same field"]),
    case("--strip-chrome: a bad file fails in the first pass, named",
         {"d/a.txt": GOOD_A, "d/b.txt": GOOD_B, "d/c.txt": b"ok\n\xc0\xaf"},
         ["--strip-chrome", "--encoding", "utf-8", "d"], 1,
         [r"d/c\.txt:2: invalid UTF-8 \(byte 0xC0\).*byte offset 3"]),
    case("--strip-chrome: a bad JSON line",
         {"x.jsonl": b'{"id": "a", "text": "x"}\n{"id": "b", "text": "\\q"}\n'},
         ["--strip-chrome", "x.jsonl"], 1, [r'x\.jsonl:2: invalid JSON string in field "text"']),
    case("-o without a value", {"a.txt": GOOD_A}, ["a.txt", "-o"], 2, [r"needs a value|-o"],
         output=False),
    case("an unknown option", {"a.txt": GOOD_A}, ["--frobnicate", "a.txt"], 2,
         [r"unknown option --frobnicate"]),
    case("no CORPUS", {}, [], {0, 2}, output=False),
    # --- output locations ------------------------------------------------------------------------
    case("-o inside a file (not a directory)", {"a.txt": GOOD_A, "f": b"x"},
         ["a.txt", "-o", "f/out"], 1, [r"f/out\S*: .*Not a directory"], output=False,
         only="has:--output"),
    case("-o in a missing directory", {"a.txt": GOOD_A}, ["a.txt", "-o", "nodir/out"], 1,
         [r"nodir/out\S*: .*No such file or directory"], output=False, only="has:--output"),
    case("-o naming an existing directory", {"a.txt": GOOD_A, "o": None}, ["a.txt", "-o", "o"], 1,
         [r"o: .*(Is a directory|directory)"], output=False, only="file-output"),
]
# Without the DOCX or PDF reader (meson -Ddocx=disabled, -Dpdf=disabled) their cases do not
# apply (the files are refused with "built without ... support" instead).
def _needs(name, kind):
    if kind == "docx":
        return "DOCX" in name or "named .docx" in name
    return ("PDF" in name and "named .txt" not in name) or "named .pdf" in name


CASES = [c for c in CASES if all(HAVE_READER[k] or not _needs(c["name"], k) for k in HAVE_READER)]


class Failure(Exception):
    pass


def make_files(root, files):
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if data is None:
            os.makedirs(path, exist_ok=True)
        elif data is FIFO:
            os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(data)


def run(argv, cwd, stdin=None, feed=None):
    """Run comptext (under COMPTEXT_WRAPPER), returning (status, stdout, stderr). feed: a
    function called with the process once it runs (to drive named pipes)."""
    p = subprocess.Popen(WRAPPER + [COMPTEXT] + argv, cwd=cwd, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    helper = None
    if feed:
        helper = threading.Thread(target=feed, args=(p,), daemon=True)
        helper.start()
    try:
        out, err = p.communicate(stdin if stdin is not None else b"", timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise Failure("hung: no exit within %d s" % TIMEOUT)
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def check_status(status, expected, err, command=None):
    if re.search(r"runtime error:|ERROR: (Address|Leak|Memory|Thread)Sanitizer", err):
        raise Failure("sanitizer report\n" + err)
    if status < 0:
        raise Failure("killed by signal %d\n%s" % (-status, err))
    if status >= 126:
        raise Failure("exit status %d (>= 126)\n%s" % (status, err))
    ok = status in expected if isinstance(expected, set) else status == expected
    if not ok and status == 1 and command in MAY_HAVE_NOTHING and \
            expected in (0, {0}, {0, 1}, {0, 2}):
        ok = True
    if not ok:
        raise Failure("exit status %d, expected %s\nstderr: %s" % (status, expected, err))
    if status != 0 and not err.strip():
        raise Failure("exit status %d without a message" % status)
    if WRAPPER and "==" in err and "ERROR SUMMARY" in err:
        raise Failure("valgrind reported errors\n" + err)


def check_nothing_written(outdir, err):
    left = sorted(os.listdir(outdir))
    if left:
        raise Failure("failed, but left %s in the output directory\nstderr: %s" % (left, err))


def run_case(c, command, help_text):
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, c["files"])
        outdir = os.path.join(root, "out")
        os.mkdir(outdir)
        argv = [command] + extra(command, root) + c["args"]
        if command in OUTPUT_IS_DIR and c["output"] is not False:
            argv += ["-o", os.path.join(outdir, "result")]
        elif c["output"] and "--output" in help_text:
            argv += ["-o", os.path.join(outdir, "result")]
        status, out, err = run(argv, root, c["stdin"])
        check_status(status, c["status"], err, command)
        for m in c["messages"]:
            if status == 0 and m.startswith(r"--"):
                continue
            if not re.search(m, err):
                raise Failure("stderr does not match %r:\n%s" % (m, err))
        if status != 0:
            check_nothing_written(outdir, err)
            for dirpath, _, names in os.walk(root):
                tmp = [n for n in names if ".tmp-" in n]
                if tmp:
                    raise Failure("temporary files left behind: %s" % tmp)
        elif c["check"]:
            if os.path.exists(os.path.join(outdir, "result")) and command not in OUTPUT_IS_DIR:
                with open(os.path.join(outdir, "result"), encoding="utf-8") as f:
                    out = f.read()
            problem = c["check"](out, command)
            if problem:
                raise Failure(problem)


_takes = {}


def takes(command, option, help_text):
    """Whether command accepts option: its --help lists it and a run on a good corpus with a
    harmless value is not a usage error (kwic, for one, lists the token options but refuses
    those that do not apply to it)."""
    key = (command, option)
    if key not in _takes:
        ok = option in help_text
        if ok and option in ("--stopwords", "--dict"):
            with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
                make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B, "empty": b""})
                value = "none" if option == "--stopwords" else "empty"
                status, _, _ = run([command] + extra(command, root) + [option, value, "a.txt",
                                                                        "b.txt"], root)
                ok = status != 2
        _takes[key] = ok
    return _takes[key]


def applies(c, command, help_text):
    only = c["only"]
    if only is None:
        return True
    if only == "file-output":  # -o names a file
        return "--output" in help_text and command not in OUTPUT_IS_DIR
    if isinstance(only, str) and only.startswith("has:"):
        return takes(command, only[4:], help_text)
    return command in only


# --- cases that need more than a table row --------------------------------------------------------

def is_root():
    return os.geteuid() == 0


def mount_tmpfs(path, options):
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path],
                       capture_output=True, text=True)
    return r.returncode == 0


def on_tmpfs(help_text, name, options, body):
    """Call body(root, mnt): root a folder with the two good documents, mnt a tmpfs mounted
    with options at root/name (unmounted after). None, or why the case is skipped (no -o, not
    root, no tmpfs)."""
    if "--output" not in help_text:
        return "no -o"
    if not is_root():
        return "skipped: mounting a tmpfs needs root"
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B})
        mnt = os.path.join(root, name)
        os.mkdir(mnt)
        if not mount_tmpfs(mnt, options):
            return "skipped: cannot mount a tmpfs here"
        try:
            body(root, mnt)
        finally:
            subprocess.run(["umount", mnt], check=False)
    return None


def full_disk(command, help_text):
    """Output onto a full file system (a 64 KiB tmpfs filled up first)."""
    def case(root, mnt):
        fd = os.open(os.path.join(mnt, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"x" * 4096) > 0:
                pass
        except OSError:
            pass
        os.close(fd)
        outdir = os.path.join(mnt, "out")
        try:
            os.mkdir(outdir)
        except OSError:
            pass
        target = os.path.join(outdir if os.path.isdir(outdir) else mnt, "result")
        argv = [command] + extra(command, root) + ["a.txt", "b.txt", "-o", target]
        status, _, err = run(argv, root)
        check_status(status, 1, err)
        if not re.search(r"result\S*: .*No space left on device", err):
            raise Failure("message does not name the output and the full disk:\n" + err)
        left = sorted(set(os.listdir(mnt)) - {"filler", "out"})
        if os.path.isdir(outdir):
            left += os.listdir(outdir)
        if left:
            raise Failure("left %s on the full disk" % left)
    return on_tmpfs(help_text, "full", "size=64k", case)


def read_only_fs(command, help_text):
    """Output onto a read-only file system."""
    def case(root, mnt):
        argv = [command] + extra(command, root) + ["a.txt", "b.txt", "-o",
                                                   os.path.join(mnt, "result")]
        status, _, err = run(argv, root)
        check_status(status, 1, err)
        if not re.search(r"result\S*: .*Read-only file system", err):
            raise Failure("message does not name the output:\n" + err)
        if os.listdir(mnt):
            raise Failure("left %s" % os.listdir(mnt))
    return on_tmpfs(help_text, "ro", "size=64k,ro", case)


def vanished_output(command, help_text):
    """The output directory disappears while the command runs: the corpus's second document
    is a named pipe, and the directory is removed while comptext waits on it."""
    if "--output" not in help_text:
        return "no -o"
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": FIFO})
        outdir = os.path.join(root, "out")
        os.mkdir(outdir)
        fifo = os.path.join(root, "b.txt")
        stop = threading.Event()

        real_fifo = os.path.realpath(fifo)

        def holds_fifo(pid):
            try:
                return any(os.readlink("/proc/%d/fd/%s" % (pid, fd)) == real_fifo
                           for fd in os.listdir("/proc/%d/fd" % pid))
            except OSError:
                return False

        def feed(p):
            # Feed the pipe each time comptext opens it (a command may read a document twice),
            # one whole document each time: wait until it has closed the pipe before the next.
            first = True
            while not stop.is_set() and p.poll() is None:
                try:
                    fd = os.open(fifo, os.O_WRONLY)  # blocks until comptext opens it
                except OSError:
                    return
                if first:
                    shutil.rmtree(outdir, ignore_errors=True)
                    first = False
                try:
                    os.write(fd, GOOD_B)
                except OSError:
                    pass
                os.close(fd)
                while not stop.is_set() and p.poll() is None and holds_fifo(p.pid):
                    time.sleep(0.01)

        argv = [command] + extra(command, root) + ["--threads", "1", "a.txt", "b.txt",
                                                         "-o", os.path.join(outdir, "result")]
        try:
            status, _, err = run(argv, root, feed=feed)
        finally:
            stop.set()
            try:  # release a feeder still blocked in open()
                fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
        check_status(status, 1, err)
        if not re.search(r"out/result\S*: .*No such file or directory", err):
            raise Failure("message does not name the output:\n" + err)
        if os.path.exists(outdir):
            raise Failure("the removed output directory came back: %s" % os.listdir(outdir))
    return None


def stdout_full(command, help_text):
    """Standard output on a full device."""
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B})
        argv = WRAPPER + [COMPTEXT, command] + extra(command, root) + ["a.txt", "b.txt"]
        if command in OUTPUT_IS_DIR:
            return "no standard output"
        with open("/dev/full", "wb") as full:
            try:
                p = subprocess.run(argv, cwd=root, stdout=full, stderr=subprocess.PIPE,
                                   timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise Failure("hung: no exit within %d s" % TIMEOUT)
        err = p.stderr.decode("utf-8", "replace")
        check_status(p.returncode, 1, err)
        if not re.search(r"standard output: write failed: No space left on device", err):
            raise Failure("message does not say standard output is full:\n" + err)
    return None


def device_full(command, help_text):
    """-o naming a device that is always full. A private node (like /dev/full) in the case's
    folder, never /dev/full itself: a build that renames over its output would replace it."""
    if "--output" not in help_text or command in OUTPUT_IS_DIR:
        return "no file output"
    if not is_root():
        return "skipped: making a device node needs root"
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B})
        dev = os.path.join(root, "full")
        try:
            os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        except OSError as e:
            return "skipped: cannot make a device node (%s)" % e
        status, _, err = run([command] + extra(command, root) +
                             ["a.txt", "b.txt", "-o", "full"], root)
        check_status(status, 1, err)
        if not re.search(r"full: write failed: No space left on device", err):
            raise Failure("message does not name the device:\n" + err)
        if not stat.S_ISCHR(os.lstat(dev).st_mode):
            raise Failure("the device node was replaced by a file")
        if sorted(set(os.listdir(root)) - set(EXTRA_FILES.get(command, {}))) != ["a.txt", "b.txt", "full"]:
            raise Failure("left %s" % sorted(os.listdir(root)))
    return None


def output_mode(command, help_text):
    """A written output has the permissions the umask gives (not mkstemp's 0600)."""
    if "--output" not in help_text or command in OUTPUT_IS_DIR:
        return "no file output"
    with tempfile.TemporaryDirectory(prefix="ct-bad-input-") as root:
        make_files(root, {"a.txt": GOOD_A, "b.txt": GOOD_B})
        old = os.umask(0o022)
        try:
            status, _, err = run([command] + extra(command, root) +
                                 ["a.txt", "b.txt", "-o", "result"], root)
        finally:
            os.umask(old)
        check_status(status, 0, err)
        mode = os.stat(os.path.join(root, "result")).st_mode & 0o777
        if mode != 0o644:
            raise Failure("output mode %o, expected 644 under umask 022" % mode)
    return None


SPECIAL = [
    ("standard output on a full device", stdout_full),
    ("-o naming a device that is always full", device_full),
    ("output permissions follow the umask", output_mode),
    ("full disk (64 KiB tmpfs)", full_disk),
    ("read-only file system", read_only_fs),
    ("output directory removed during the run", vanished_output),
]


def main():
    if not COMPTEXT or not os.path.exists(COMPTEXT):
        print("COMPTEXT is not set to the comptext binary", file=sys.stderr)
        return 1
    cmds = commands()
    if not cmds:
        print("no commands found in comptext --help", file=sys.stderr)
        return 1
    passed = failed = skipped = 0

    def report(label, problem):
        nonlocal passed, failed
        if problem:
            failed += 1
            print("FAIL %s\n     %s" % (label, str(problem).replace("\n", "\n     ")))
        else:
            passed += 1
            if VERBOSE:
                print("ok   %s" % label)

    # Unknown command and no command at all: usage errors.
    for argv, label in (([], "no command"), (["frobnicate"], "unknown command")):
        status, _, err = run(argv, ".")
        try:
            check_status(status, 2, err)
            report(label, None)
        except Failure as e:
            report(label, e)

    for command, help_text in cmds.items():
        for c in CASES:
            if not applies(c, command, help_text):
                continue
            label = "%s: %s" % (command, c["name"])
            if ONLY and ONLY not in label:
                continue
            try:
                run_case(c, command, help_text)
                report(label, None)
            except Failure as e:
                report(label, e)
        for name, fn in SPECIAL:
            label = "%s: %s" % (command, name)
            if ONLY and ONLY not in label:
                continue
            try:
                why = fn(command, help_text)
            except Failure as e:
                report(label, e)
                continue
            if why and why.startswith("skipped"):
                skipped += 1
                print("skip %s (%s)" % (label, why))
            elif why is None:
                report(label, None)
    print("bad-input catalogue: %d commands (%s), %d passed, %d failed, %d skipped"
          % (len(cmds), " ".join(cmds), passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
