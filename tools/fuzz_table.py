#!/usr/bin/env python3
"""Sums up long libFuzzer runs for docs/fuzzing.md: one row per run, then one per target.

Each log is one run of a fuzz target binary with `-print_final_stats=1`, its output
preceded by a line `# TARGET start TIME secs N` and followed by `# cpu USER+SYS wall SECS`
(from `/usr/bin/time -f "# cpu %U+%S wall %e"`) and `# rc CODE end TIME`, as the commands
in docs/fuzzing.md write them. Reads libFuzzer's own lines: the last `DONE` or status line
(cov, ft, corp) and `stat::number_of_executed_units`.

Usage: python3 tools/fuzz_table.py LOG...
"""
import re
import sys


def parse(path):
    run = {"log": path, "execs": 0, "wall": 0.0, "cpu": 0.0, "cov": 0, "ft": 0,
           "corp": "", "rc": None, "crashes": 0}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if m := re.match(r"# (\S+) start (\S+)", line):
                run["target"], run["start"] = m.group(1), m.group(2)
            elif m := re.match(r"# cpu ([\d.]+)\+([\d.]+) wall ([\d.]+)", line):
                run["cpu"] = float(m.group(1)) + float(m.group(2))
                run["wall"] = float(m.group(3))
            elif m := re.match(r"# rc (\d+)", line):
                run["rc"] = int(m.group(1))
            elif m := re.match(r"stat::number_of_executed_units: (\d+)", line):
                run["execs"] = int(m.group(1))
            elif m := re.match(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\S+)", line):
                run["last"] = int(m.group(1))
                run["cov"], run["ft"], run["corp"] = int(m.group(2)), int(m.group(3)), m.group(4)
            elif "ERROR: libFuzzer" in line or "SUMMARY: " in line:
                run["crashes"] += 1
    if not run["execs"]:
        run["execs"] = run.get("last", 0)
    return run


def main():
    runs = [r for r in map(parse, sys.argv[1:]) if "target" in r]
    runs.sort(key=lambda r: (r["target"], r["start"]))
    print("| target | start (UTC) | executions | wall s | exec/s (wall) | exec/CPU-s | cov | ft | corpus | crashes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in runs:
        print(f"| {r['target']} | {r['start']} | {r['execs']:,} | {r['wall']:.0f} "
              f"| {r['execs'] / max(r['wall'], 1):.0f} | {r['execs'] / max(r['cpu'], 1):.0f} "
              f"| {r['cov']} | {r['ft']} | {r['corp']} | {r['crashes']} |")
    print()
    print("| target | runs | executions | wall min | CPU min | crashes |")
    print("|---|---:|---:|---:|---:|---:|")
    for target in sorted({r["target"] for r in runs}):
        mine = [r for r in runs if r["target"] == target]
        print(f"| {target} | {len(mine)} | {sum(r['execs'] for r in mine):,} "
              f"| {sum(r['wall'] for r in mine) / 60:.1f} | {sum(r['cpu'] for r in mine) / 60:.1f} "
              f"| {sum(r['crashes'] for r in mine)} |")


if __name__ == "__main__":
    main()
