#!/usr/bin/env python3
"""The shared library exports exactly the functions that include/comptext/ declares.

libcomptext is built with hidden visibility; a function reaches the dynamic symbol table
only through a CT_API mark on its public declaration. This test fails when the library
exports a ct_ symbol no public header declares (an internal detail leaking into the ABI),
and when a public header declares a function the library does not export (a declaration
without a definition, or a definition built hidden). Like jansson's export check."""
import os
import re
import subprocess
import sys

source = os.environ["COMPTEXT_SOURCE"]
library = os.environ["LIBCOMPTEXT"]

declared = set()
headers = [os.path.join(source, "include", "comptext.h")]
pub = os.path.join(source, "include", "comptext")
headers += [os.path.join(pub, h) for h in sorted(os.listdir(pub)) if h.endswith(".h")]
for h in headers:
    text = open(h, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    for m in re.finditer(r"\bCT_API\b[^;(]*?\b(ct_\w+)\s*\(", text):
        declared.add(m.group(1))
    # A public function declared without the mark would be hidden: catch that too.
    for m in re.finditer(r"^(?!\s*(?:#|typedef|CT_API|static|return))[^\n;{}()]*?\b(ct_\w+)\s*\(",
                         text, flags=re.M):
        print(f"FAIL: {os.path.relpath(h, source)} declares {m.group(1)} without CT_API")
        sys.exit(1)

out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                     capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TtDdBbRrWwVv" and parts[2].startswith("ct_"):
        exported.add(parts[2])
others = sorted(p.split()[2] for p in out.splitlines()
                if len(p.split()) == 3 and p.split()[1] in "TDBRWV"
                and not p.split()[2].startswith(("ct_", "_")))

bad = 0
for name in sorted(exported - declared):
    print(f"FAIL: libcomptext exports {name}, which no public header declares")
    bad += 1
for name in sorted(declared - exported):
    print(f"FAIL: {name} is declared in include/ but not exported")
    bad += 1
for name in others:
    print(f"FAIL: libcomptext exports {name} (not in the ct_ namespace)")
    bad += 1
if len(declared) < 50:
    print(f"FAIL: only {len(declared)} declarations found: the header scan is broken")
    bad += 1
print(f"{len(exported)} exported, {len(declared)} declared")
sys.exit(1 if bad else 0)
