#!/usr/bin/env python3
"""Every file includes only headers of its own layer or of the layers below it.

The layers, lowest first: util, text, input, core, analysis, render, dist (the MPI
driver, built with -Dmpi), cli (README, "The
pipeline"). The build already fails on a wrong-way include of a private header, since each
layer's static library sees only the private headers of the layers below it; public headers
(include/comptext/) are visible everywhere, so this test places each public header in the
layer that defines its functions and checks those includes too."""
import os
import re
import sys

LAYERS = ["util", "text", "input", "core", "analysis", "render", "dist", "cli"]
source = os.environ["COMPTEXT_SOURCE"]


def layer_dir(layer):
    return os.path.join(source, "analysis" if layer == "analysis" else os.path.join("src", layer))


files = {}  # path -> layer
for layer in LAYERS:
    d = layer_dir(layer)
    for name in sorted(os.listdir(d)):
        if name.endswith((".c", ".h")):
            files[os.path.join(d, name)] = layer
private = {os.path.basename(p): layer for p, layer in files.items() if p.endswith(".h")}

# Where each public function is defined: a line at column 0 that names it and opens a body.
defined_in = {}
for path, layer in files.items():
    if not path.endswith(".c"):
        continue
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"^[A-Za-z][^\n;]*?\b(ct_\w+)\(([^;{]*?)\)\s*\{", text, flags=re.M | re.S):
        defined_in.setdefault(m.group(1), set()).add(layer)

public = {}
pub_dir = os.path.join(source, "include", "comptext")
for name in sorted(os.listdir(pub_dir)):
    text = open(os.path.join(pub_dir, name), encoding="utf-8").read()
    layers = set()
    for fn in re.findall(r"\bCT_API\b[^;(]*?\b(ct_\w+)\s*\(", text):
        layers |= defined_in.get(fn, set())
    public["comptext/" + name] = max(layers, key=LAYERS.index) if layers else "util"
public["comptext.h"] = "cli"  # the umbrella: all of it

bad = 0
for path, layer in sorted(files.items()):
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if not m:
            continue
        inc = m.group(1)
        target = public.get(inc) or private.get(os.path.basename(inc))
        if target is None:
            continue  # ct_config.h from the build directory
        if LAYERS.index(target) > LAYERS.index(layer):
            rel = os.path.relpath(path, source)
            print(f"FAIL: {rel}:{lineno}: layer {layer} includes {inc} of layer {target}")
            bad += 1
print(f"{len(files)} files in {len(LAYERS)} layers, {len(public)} public headers placed")
for name, layer in sorted(public.items()):
    print(f"  {name}: {layer}")
sys.exit(1 if bad else 0)
