#!/usr/bin/env python3
"""Writes a copy of the default dataset whose Latakia zone is a large synthetic outline, to time
the loader's geometry validation on shapes of a given size.

    python3 tools/synth-zone.py circle 100000 /tmp/big
    python3 tools/synth-zone.py comb 25000 /tmp/comb          # 4 positions per tooth
    python3 tools/synth-zone.py diagonal-comb 25000 /tmp/dcomb
    target/release/truce-atlas validate --data /tmp/big

A circle is what real boundaries look like to the sweep (few edges overlap along any axis); a
comb of long teeth is the worst case for a sweep along the teeth, and a diagonal comb defeats
both x and y, so the validator must pick a diagonal frame.
"""

import json
import math
import shutil
import sys
from pathlib import Path


def circle(n):
    ring = [[36.0 + 0.3 * math.cos(2 * math.pi * i / n), 35.6 + 0.3 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    return ring + [ring[0]]


def comb(teeth):
    h = 0.8 / teeth
    ring = [[35.5, 35.0]]
    for t in range(teeth):
        y = 35.0 + t * h
        ring += [[36.5, y], [36.5, y + h / 2], [35.6, y + h / 2], [35.6, y + h]]
    return ring + [[35.5, 35.0 + teeth * h], [35.5, 35.0]]


def turned(ring, degrees, centre=(36.0, 35.4)):
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cx, cy = centre
    return [[cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c] for x, y in ring]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    shape, size, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    ring = {
        "circle": lambda: circle(size),
        "comb": lambda: comb(size),
        "diagonal-comb": lambda: turned(comb(size), 45),
    }[shape]()
    root = Path(__file__).resolve().parent.parent
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(root / "data" / "syria-2016", out)
    zones = json.loads((out / "zones.geojson").read_text())
    for feature in zones["features"]:
        if feature["id"] == "latakia":
            rounded = [[round(x, 9), round(y, 9)] for x, y in ring]
            feature["geometry"] = {"type": "Polygon", "coordinates": [rounded]}
    (out / "zones.geojson").write_text(json.dumps(zones))
    print(f"{out}: latakia has {len(ring)} positions ({shape})")


if __name__ == "__main__":
    main()
