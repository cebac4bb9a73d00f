#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""units.py OUTDIR - summarise scripts/units.sh's runs.

Reads OUTDIR/LABEL-UNIT/results.csv (run --unit UNIT: fill and load) and
OUTDIR/LABEL-UNIT-infoN.csv (corpus info --page UNIT, seven times), and
writes OUTDIR/summary.md (the table of README "4 KiB against 16/64 KiB
units") and OUTDIR/units.csv (for plots/units.gp), each to a temporary file
renamed into place.
"""
import csv
import glob
import os
import re
import sys

UNITS = {"4k": 4096, "16k": 16384, "64k": 65536}


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))


def num(r, k):
    v = r.get(k, "")
    return float(v) if v not in ("", None) else float("nan")


def kind(spec):
    return "zsmalloc" if spec.startswith("zsmalloc") else spec.split(":")[0]


def main():
    out = sys.argv[1]
    cells = []
    for d in glob.glob(os.path.join(out, "*-*k")):
        m = re.match(r"(.*)-(4k|16k|64k)$", os.path.basename(d))
        if m and os.path.isdir(d):
            cells.append((m.group(1), m.group(2), d))
    cells.sort(key=lambda c: (c[0], UNITS[c[1]]))
    table, plot = [], []
    base = {}  # (label, codec) -> (compressed share, ns per 4 KiB) at the smallest unit
    for label, unit, d in cells:
        ub = UNITS[unit]
        info = {}
        for f in sorted(glob.glob(os.path.join(out, "%s-%s-info*.csv" % (label, unit)))):
            for r in rows(f):
                pages4k = num(r, "pages") * num(r, "page_size") / 4096
                ns = num(r, "compress_seconds") * 1e9 / pages4k
                share = num(r, "compressed_bytes") / (num(r, "pages") * num(r, "page_size"))
                old = info.get(r["codec"])
                info[r["codec"]] = (num(r, "ratio"), share, ns if not old else min(ns, old[2]))
        R = rows(os.path.join(d, "results.csv"))
        for codec in sorted({r["codec"] for r in R}):
            ratio, share, ns = info.get(codec, (float("nan"),) * 3)
            key = (label, codec)
            if key not in base:
                base[key] = (share, ns, ub)
            b_share, b_ns, b_unit = base[key]
            for r in R:
                if r["codec"] != codec or r["workload"] != "fill":
                    continue
                ld = next(x for x in R if x["codec"] == codec and x["allocator"] == r["allocator"]
                          and x["workload"] == "load")
                stored, huge, same = num(ld, "stored"), num(ld, "huge"), num(ld, "same_filled")
                held = stored + same
                dec = ub * (stored - huge) / held if held else float("nan")
                p50, p99 = num(ld, "load_e2e_ns_p50"), num(ld, "load_e2e_ns_p99")
                table.append("| %s | %s | %s | %.2f | %.1f %% | %s | %.0f | %s | `%s` | %.4f | %.2f | %.0f / %.0f | %.0f | %.2f %% |" % (
                    label, codec, unit, ratio, 100 * share,
                    "" if ub == b_unit else "%+.1f %%" % (100 * (share - b_share) / b_share),
                    ns, "" if ub == b_unit else "%+.0f %%" % (100 * (ns - b_ns) / b_ns),
                    r["allocator"], num(r, "density"), num(r, "effective_ratio"), p50, p99,
                    dec, 100 * huge / stored if stored else float("nan")))
                plot.append([label, codec, kind(r["allocator"]), ub // 1024, "%.4f" % ratio,
                             "%.4f" % num(r, "effective_ratio"), "%.0f" % p50, "%.0f" % p99])
    md = ["# 4 KiB against 16/64 KiB units: measured", "",
          "ratio: original / compressed bytes over every page of the corpus read at the unit "
          "(corpus info); compressed: the same as a share of the original, and its change "
          "against the smallest unit; comp ns/4K: compression CPU per 4 KiB of input (the "
          "least of seven passes), and its change; density, eff. ratio: the pool after the "
          "fill (zram front end); read p50/p99: one 4 KiB page read out of its unit (map, "
          "decompress the unit, copy the page, unmap), ns; decompressed/4K: bytes "
          "decompressed per 4 KiB page read; raw: units stored uncompressed.", "",
          "| corpus | codec | unit | ratio | compressed | vs 4K | comp ns/4K | vs 4K | allocator | density | eff. ratio | read p50 / p99 | decompressed/4K | raw |",
          "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"] + table + [""]
    tmp = os.path.join(out, ".summary.md.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(md))
    os.replace(tmp, os.path.join(out, "summary.md"))
    tmp = os.path.join(out, ".units.csv.tmp")
    with open(tmp, "w") as f:
        w = csv.writer(f)
        w.writerow(["corpus", "codec", "allocator", "unit_kib", "ratio", "effective_ratio",
                    "read_p50_ns", "read_p99_ns"])
        # a series' points consecutive (gnuplot joins only neighbouring rows)
        w.writerows(sorted(plot, key=lambda r: (r[0], r[1], r[2], r[3])))
    os.replace(tmp, os.path.join(out, "units.csv"))


if __name__ == "__main__":
    main()
