#!/usr/bin/env python3
"""Turn scripts/bench.sh's results.ndjson into the table and the target checks.

Per tool: the best (lowest) wall time over the rounds, which is the run least disturbed by
other work on the machine, and the median CPU seconds (client, and both Dovecot servers),
which hardly depend on that other work. Throughput figures use the best wall time.
"""
import argparse
import json
import statistics
import sys

TOOLS = [  # (run-name prefix, label, is a full copy)
    ("tern", "tern batch", True),
    ("tern-delta", "tern batch, delta pass", False),
    ("tern-lua", "tern batch + no-op Lua", True),
    ("mbsync", "mbsync 1.4.4 (isync)", True),
    ("doveadm", "doveadm backup -R via imapc", True),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--messages", type=int, required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--largest", type=int, required=True)
    ap.add_argument("--users", type=int, required=True)
    ap.add_argument("--parallel", type=int, required=True)
    ap.add_argument("--markdown")
    ap.add_argument("--built-from", default="")
    a = ap.parse_args()

    runs = [json.loads(line) for line in open(a.results) if line.strip()]
    profile = next((r for r in runs if r["run"] == "lua-profile"), None)
    runs = [r for r in runs if r["run"] != "lua-profile"]
    for r in runs:  # older files had one "server_cpu"
        if "server_cpu" not in r:
            r["server_cpu"] = r.get("source_cpu", 0) + r.get("dest_cpu", 0)

    def of(prefix):
        if prefix == "tern-delta":
            return [r for r in runs if r["run"] == "tern-delta"]
        out = []
        for r in runs:
            head, _, tail = r["run"].rpartition("-")
            if head == prefix and tail.isdigit():
                out.append(r)
        return out

    stats = {}
    for prefix, label, full in TOOLS:
        rs = of(prefix)
        if not rs:
            continue
        best = min(rs, key=lambda r: r["wall"])
        stats[prefix] = {
            "label": label, "full": full, "n": len(rs), "best": best,
            "walls": [r["wall"] for r in rs],
            "cpu": statistics.median(r.get("client_cpu", 0) for r in rs),
            "scpu": statistics.median(r.get("server_cpu", 0) for r in rs),
            "src": statistics.median(r.get("source_cpu", 0) for r in rs),
            "dst": statistics.median(r.get("dest_cpu", 0) for r in rs),
            "rss": max(r["rss_kb"] for r in rs) / 1024,
            "ok": all(r["rc"] == 0 and (not full or r["dest_messages"] == a.messages) for r in rs),
            "dest": best["dest_messages"],
        }

    mb = a.bytes / 1e6
    lines = ["| tool | runs | wall s best (all) | msgs/s | MB/s | peak RSS MB | CPU s client | CPU s source "
             "| CPU s destination | msgs per CPU s (all processes) | complete |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for prefix, s in stats.items():
        w = s["best"]["wall"]
        allw = ", ".join(f"{x:.1f}" for x in s["walls"])
        total_cpu = s["cpu"] + s["scpu"]
        if s["full"]:
            mps, mbs = f"{a.messages / w:.0f}", f"{mb / w:.1f}"
            eff = f"{a.messages / total_cpu:.0f}" if total_cpu else "–"
        else:
            mps = mbs = eff = "–"
        done = (f"{s['dest']}/{a.messages}" if s["ok"] else f"NO ({s['dest']}/{a.messages}, see logs)")
        lines.append(f"| {s['label']} | {s['n']} | {w:.2f} ({allw}) | {mps} | {mbs} | {s['rss']:.1f} | "
                     f"{s['cpu']:.2f} | {s['src']:.2f} | {s['dst']:.2f} | {eff} | {done} |")

    checks = []

    def check(name, ok, detail):
        checks.append((name, "PASS" if ok else "FAIL", detail))

    t, lua, mbs_, dov, delta = (stats.get(k) for k in ("tern", "tern-lua", "mbsync", "doveadm", "tern-delta"))

    def cpu_all(s):
        return s["cpu"] + s["scpu"]

    if t and mbs_:
        r = mbs_["best"]["wall"] / t["best"]["wall"]
        rc = cpu_all(mbs_) / cpu_all(t)
        check("tern ≥ 1.5× mbsync msgs/s (best wall)", r >= 1.5,
              f"{r:.2f}× (by CPU s of all processes: {rc:.2f}×)")
    if t and dov:
        r = t["best"]["wall"] / dov["best"]["wall"]
        rc = cpu_all(t) / cpu_all(dov)
        check("tern within 2× doveadm backup time (best wall)", r <= 2.0,
              f"tern takes {r:.2f}× doveadm's time (CPU s of all processes: {rc:.2f}×)")
    if delta:
        d = delta["best"]["wall"]
        check(f"delta pass < 2 s ({a.users} mailboxes)", d < 2.0, f"{d:.2f} s")
    if t:
        rss = max(s["rss"] for k, s in stats.items() if k.startswith("tern"))
        check(f"tern peak RSS < 150 MB with a {a.largest / 1e6:.0f} MB message", rss < 150,
              f"{rss:.1f} MB (highest of all tern runs; per run: "
              + ", ".join(f"{r['rss_kb'] / 1024:.0f}" for r in runs if r["run"].startswith("tern")) + ")")
    if t and lua:
        rel_cpu = t["cpu"] / lua["cpu"] if lua["cpu"] else 0
        rel_wall = t["best"]["wall"] / lua["best"]["wall"]
        per_msg = (lua["cpu"] - t["cpu"]) / a.messages * 1e6
        other = (f"by best wall time {rel_wall * 100:.1f} %; by median tern CPU s {rel_cpu * 100:.1f} % "
                 f"({per_msg:+.0f} µs per message, within run-to-run noise)")
        if profile:
            share = float(profile["share"])
            us = share * lua["cpu"] / a.messages * 1e6
            check("no-op Lua script ≥ 95 % of plain throughput (perf: Lua's share of tern CPU)",
                  1 - share >= 0.95,
                  f"{(1 - share) * 100:.1f} %: {profile['lua_samples']} of {profile['samples']} tern samples in Lua "
                  f"≈ {us:.1f} µs CPU per message (filter_message call + bridge); {other}")
        else:
            check("no-op Lua script ≥ 95 % of plain throughput (median tern CPU s)", rel_cpu >= 0.95, other)
    lines += ["", "| target | result | measured |", "|---|---|---|"]
    lines += [f"| {n} | {r} | {d} |" for n, r, d in checks]

    loads = ", ".join(f"{r['run']} {r.get('load1', '?')}" for r in runs)
    head = (f"corpus: {a.users} mailboxes, {a.messages} messages, {mb:.1f} MB, largest {a.largest / 1e6:.1f} MB; "
            f"{a.parallel} mailboxes at a time; IMAPS on both sides, 127.0.0.1"
            + (f"; tern built from {a.built_from}" if a.built_from else ""))
    foot = f"\n1-minute load average before each run: {loads}"
    text = head + "\n\n" + "\n".join(lines) + "\n" + foot
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
