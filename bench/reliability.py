#!/usr/bin/env python3
"""What a user would write instead of plumb calibrate reliability: a plain
Python script (standard library only) that reads subject,rater,score CSV and
prints the six ICC point estimates (Shrout & Fleiss 1979; no confidence
intervals: the standard library has no F distribution) when the design is
complete, and Krippendorff's interval alpha (2011) for any design, as JSON
with plumb's keys, so bench/calibrate can compare the two answers."""
import csv
import json
import sys
from collections import defaultdict


def main(path):
    units = defaultdict(dict)
    raters = set()
    with open(path, newline="") as f:
        rows = csv.reader(f)
        if next(rows) != ["subject", "rater", "score"]:
            sys.exit(f"{path}: expected the header subject,rater,score")
        for subject, rater, score in rows:
            if rater in units[subject]:
                sys.exit(f"{path}: subject {subject} and rater {rater} again")
            units[subject][rater] = float(score)
            raters.add(rater)
    n, k = len(units), len(raters)
    total = sum(len(u) for u in units.values())
    out = {"subjects": n, "raters": k, "icc": None, "alpha": {}}

    if n >= 2 and k >= 2 and total == n * k:
        gm = sum(sum(u.values()) for u in units.values()) / total
        row = {s: sum(u.values()) / k for s, u in units.items()}
        col = defaultdict(float)
        for u in units.values():
            for r, x in u.items():
                col[r] += x / n
        ssb = k * sum((m - gm) ** 2 for m in row.values())
        ssj = n * sum((m - gm) ** 2 for m in col.values())
        ssw = sse = 0.0
        for s, u in units.items():
            for r, x in u.items():
                ssw += (x - row[s]) ** 2
                sse += (x - row[s] - col[r] + gm) ** 2
        msb, msj = ssb / (n - 1), ssj / (k - 1)
        msw, mse = ssw / (n * (k - 1)), sse / ((n - 1) * (k - 1))
        out["icc"] = {
            "ICC1": (msb - msw) / (msb + (k - 1) * msw),
            "ICC2": (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n),
            "ICC3": (msb - mse) / (msb + (k - 1) * mse),
            "ICC1k": (msb - msw) / msb,
            "ICC2k": (msb - mse) / (msb + (msj - mse) / n),
            "ICC3k": (msb - mse) / msb,
        }

    # Interval alpha: within-unit squared differences over ordered pairs,
    # against all pairable values' (Krippendorff 2011).
    obs, values = 0.0, []
    for u in units.values():
        v = list(u.values())
        m = len(v)
        if m < 2:
            continue
        mean = sum(v) / m
        obs += 2 * m * sum((x - mean) ** 2 for x in v) / (m - 1)
        values.extend(v)
    npair = len(values)
    mean = sum(values) / npair if npair else 0
    expected = 2 * npair * sum((x - mean) ** 2 for x in values)
    out["alpha"]["interval"] = 1 - (npair - 1) * obs / expected if expected > 0 else None
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
