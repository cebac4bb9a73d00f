#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""zblock-claims.py OUTDIR - summarise scripts/zblock-claims.sh's runs.

Reads OUTDIR/LABEL-pPAGE-never/ (zblock, zblock:table=pow2 and zsmalloc,
compacted only after the churn), OUTDIR/LABEL-pPAGE-every/ (zsmalloc
compacted after every churn round) and OUTDIR/LABEL-pPAGE-scale-CODEC.csv,
and writes OUTDIR/summary.md (the tables of README "zblock against
zsmalloc") and OUTDIR/zblock-churn.csv (pool pages over the churn divided
by the packing bound at the end of each churn round, for plots/zblock.gp).  Writes to
temporary files renamed into place.
"""
import csv
import glob
import os
import re
import sys


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))


def base(spec):
    """zsmalloc:page=16384 -> zsmalloc; zblock:table=pow2,page=16384 -> zblock:table=pow2"""
    name, _, keys = spec.partition(":")
    keys = [k for k in keys.split(",") if k and not k.startswith("page=")]
    return name + (":" + ",".join(keys) if keys else "")


def num(r, k):
    v = r.get(k, "")
    return float(v) if v not in ("", None) else float("nan")


def curves(folder):
    out = {}
    for r in rows(os.path.join(folder, "churn.csv")):
        key = (r["codec"], base(r["allocator"]))
        out.setdefault(key, []).append((int(r["op"]), int(r["pool_pages"])))
    return out


def at(curve, op):
    """the curve's value at op, linear between its points"""
    prev = curve[0]
    for p in curve:
        if p[0] >= op:
            if p[0] == prev[0]:
                return p[1]
            return prev[1] + (p[1] - prev[1]) * (op - prev[0]) / (p[0] - prev[0])
        prev = p
    return curve[-1][1]


def fmt_pct(a, b):
    return "%+.1f %%" % (100.0 * (a - b) / b) if b else "n/a"


def main():
    out = sys.argv[1]
    cells = []  # (label, page, folder-never, folder-every)
    for d in sorted(glob.glob(os.path.join(out, "*-p*-never"))):
        m = re.match(r"(.*)-p(\d+)-never$", os.path.basename(d))
        every = os.path.join(out, "%s-p%s-every" % m.groups())
        cells.append((m.group(1), int(m.group(2)), d, every if os.path.isdir(every) else None))
    dens, lat, scal, churn = [], [], [], []
    for label, page, never, every in cells:
        R = {(r["codec"], base(r["allocator"]), r["workload"]): r
             for r in rows(os.path.join(never, "results.csv"))}
        E = {(r["codec"], base(r["allocator"]), r["workload"]): r
             for r in rows(os.path.join(every, "results.csv"))} if every else {}
        cn, ce = curves(never), curves(every) if every else {}
        codecs = sorted({k[0] for k in R})
        for codec in codecs:
            def ratio(r):
                pool = num(r, "pool_pages")
                return (num(r, "stored") + num(r, "same_filled")) / pool if pool else float("nan")
            zs, zb, zp = (R.get((codec, a, "fill")) for a in ("zsmalloc", "zblock", "zblock:table=pow2"))
            ideal = R.get((codec, "ideal", "fill"))
            if not (zs and zb):
                continue
            # after the churn, before its closing compaction (the curve's next-to-last point)
            never_zs = cn[(codec, "zsmalloc")][-2][1]
            after_zs = int(R[(codec, "zsmalloc", "churn")]["pool_pages"])
            every_zs = ce[(codec, "zsmalloc")][-2][1] if (codec, "zsmalloc") in ce else float("nan")
            zb_churn = cn[(codec, "zblock")][-1][1]
            zp_churn = cn[(codec, "zblock:table=pow2")][-1][1] if (codec, "zblock:table=pow2") in cn else float("nan")
            ideal_churn = cn[(codec, "ideal")][-2][1]
            dens.append("| %s | %s | %s | %d / %d / %d (%d) | %.2f / %.2f / %.2f | %s | %d / %d / %d | %d / %d (%d) | %s | %s |" % (
                label, "%d KiB" % (page // 1024), codec,
                num(zs, "pool_pages"), num(zb, "pool_pages"), num(zp, "pool_pages") if zp else -1,
                num(ideal, "pool_pages"),
                ratio(zs), ratio(zb), ratio(zp) if zp else float("nan"),
                fmt_pct(num(zb, "pool_pages"), num(zs, "pool_pages")),
                never_zs, every_zs, after_zs, zb_churn, zp_churn, ideal_churn,
                fmt_pct(zb_churn, never_zs), fmt_pct(zb_churn, every_zs)))
            for a in ("zsmalloc", "zblock"):
                f, l, c = (R[(codec, a, w)] for w in ("fill", "load", "churn"))
                def q(r, op):
                    return "/".join("%.0f" % num(r, "%s_ns_%s" % (op, p)) for p in ("p50", "p99", "p999", "max"))
                lat.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                    label, "%d KiB" % (page // 1024), codec, a, q(f, "store"), q(l, "load"), q(c, "free")))
            # the churn curves divided by the bound at the ends of the rounds: the
            # bound's local maxima (a round frees, then stores as many pages)
            bound = cn[(codec, "ideal")][:-1]
            ends = [i for i in range(len(bound))
                    if all(bound[i][1] >= bound[j][1] for j in range(max(0, i - 3), min(len(bound), i + 4)))]
            picked = []
            for i in ends:
                if not picked or i - picked[-1] >= 4:
                    picked.append(i)
            for name, curve in (("zsmalloc(compacted-after-churn)", cn[(codec, "zsmalloc")]),
                                ("zsmalloc(compacted-every-round)", ce.get((codec, "zsmalloc"))),
                                ("zblock", cn[(codec, "zblock")]),
                                ("zblock:table=pow2", cn.get((codec, "zblock:table=pow2")))):
                if not curve:
                    continue
                for rnd, i in enumerate(picked):
                    op = bound[i][0]
                    pages = at(curve, op)
                    churn.append((label, page, codec, name, rnd, round(pages), pages / bound[i][1]))
        for sc in sorted(glob.glob(os.path.join(out, "%s-p%d-scale-*.csv" % (label, page)))):
            codec = sc.rsplit("-scale-", 1)[1][:-4].replace("_", ":")
            S = {(base(r["allocator"]), int(r["threads"])): r for r in rows(sc)}
            for a in ("zsmalloc", "zblock"):
                one, two = S.get((a, 1)), S.get((a, 2))
                if not (one and two):
                    continue
                scal.append("| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %s |" % (
                    label, "%d KiB" % (page // 1024), codec, a, num(one, "store_mops"),
                    num(two, "store_mops"), num(two, "speedup"), num(two, "overlap_speedup"),
                    two.get("overlap_repeats", "")))
    md = ["# zblock against zsmalloc: measured", "",
          "## Pool pages after fill and after churn", "",
          "Pool pages zsmalloc / zblock / zblock:table=pow2 (packing bound); stored "
          "pages per pool page (as Zswapped / Zswap); zblock against zsmalloc; after the "
          "churn: zsmalloc never compacted / compacted after every round / after the "
          "closing compaction, zblock / zblock:pow2 (bound), and zblock against zsmalloc "
          "without and with compaction.", "",
          "| corpus | page | codec | fill: pages | fill: pages stored per pool page | zblock vs zsmalloc | churn: zsmalloc never / every round / closing | churn: zblock / pow2 (bound) | vs never | vs every round |",
          "|---|---|---|---|---|---|---|---|---|---|"] + dens + ["",
          "## Latency, ns: p50/p99/p99.9/max", "",
          "| corpus | page | codec | allocator | store (fill) | load | free (churn) |",
          "|---|---|---|---|---|---|---|"] + lat + ["",
          "## Thread scaling (store Mop/s, zswap front end)", "",
          "| corpus | page | codec | allocator | 1 thread | 2 threads | speedup | speedup, overlapping stores only | repeats with overlap |",
          "|---|---|---|---|---:|---:|---:|---:|---:|"] + scal + [""]
    tmp = os.path.join(out, ".summary.md.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(md))
    os.replace(tmp, os.path.join(out, "summary.md"))
    tmp = os.path.join(out, ".zblock-churn.csv.tmp")
    with open(tmp, "w") as f:
        w = csv.writer(f)
        w.writerow(["corpus", "page", "codec", "series", "round", "pool_pages", "vs_bound"])
        for c in churn:
            w.writerow(list(c[:6]) + ["%.4f" % c[6]])
    os.replace(tmp, os.path.join(out, "zblock-churn.csv"))


if __name__ == "__main__":
    main()
