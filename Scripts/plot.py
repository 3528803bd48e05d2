#!/usr/bin/env python3
"""Plots any KetaSim CSV with matplotlib. Teaching and research only, not for dosing.

    python3 Scripts/plot.py curve.csv -o curve.png [--log] [--columns ketamine,norketamine]

Wide curves: every column against time. Summaries (columns ending in _mean, _p5 ... _p95):
the median as a line, the 25-75th and 5-95th percentiles (or the outermost pair given) as
shaded bands, the mean dashed. Per-subject population files (first column `id`): one thin
line per subject. Long files (time,variable,value,unit): one line per variable. Axes are
labelled with the units in the column names.
"""
import argparse
import csv
import re
import sys


def unit_of(column):
    if column.endswith("_ng_per_ml") or "_ng_per_ml_" in column:
        return "ng/mL"
    match = re.search(r"_(mg|fraction)$", column)
    return match.group(1) if match else ""


def chosen(names, wanted, path):
    """The names matching the --columns list (exactly, or as a prefix followed by _), in file order."""
    if not wanted:
        return names
    keep = set()
    for w in (x.strip() for x in wanted.split(",")):
        match = [n for n in names if n == w or n.startswith(w + "_")]
        if not w or not match:
            sys.exit(f"plot.py: {path} has no column or output '{w}'; it has: {', '.join(names)}")
        keep.update(match)
    return [n for n in names if n in keep]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("-o", "--output", help="image file (.png, .svg, .pdf); default: CSV name + .png")
    parser.add_argument("--log", action="store_true", help="logarithmic concentration axis")
    parser.add_argument("--columns", help="draw only these outputs or columns (names separated by commas; "
                        "a name also selects the columns that start with it and _, e.g. its percentiles)")
    args = parser.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        matplotlib.rcParams["svg.fonttype"] = "none"  # SVG labels as text, editable and searchable
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot.py: matplotlib is not installed (pip install matplotlib, or apt install python3-matplotlib)")
    with open(args.csv, newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        sys.exit(f"plot.py: {args.csv} has no data rows")
    header, data = rows[0], rows[1:]
    figure, axes = plt.subplots(figsize=(10, 6))
    if header[:4] == ["time", "variable", "value", "unit"] or header[:5] == ["id", "time", "variable", "value", "unit"]:
        offset = 1 if header[0] == "id" else 0
        series = {}
        variables = chosen(list(dict.fromkeys(r[1 + offset] for r in data)), args.columns, args.csv)
        for r in data:
            if r[1 + offset] not in variables:
                continue
            key = (r[0] + " " if offset else "") + r[1 + offset]
            series.setdefault(key, ([], []))
            series[key][0].append(float(r[offset]))
            series[key][1].append(float(r[2 + offset]))
        for key, (t, y) in series.items():
            axes.plot(t, y, linewidth=1, label=key if len(series) <= 12 else None)
        axes.set_xlabel("time")
        axes.set_ylabel(data[0][3 + offset])
    else:
        population = header[0] == "id"
        tcol = 1 if population else 0
        time_unit = header[tcol].replace("time_", "")
        columns = list(zip(*data))
        t = [float(x) for x in columns[tcol]]
        all_names = header[tcol + 1:]
        names = chosen(all_names, args.columns, args.csv)
        values = {n: [float(x) for x in columns[tcol + 1 + k]] for k, n in enumerate(all_names) if n in names}
        if population:
            ids = columns[0]
            for n in names:
                start = 0
                for i in range(1, len(ids) + 1):
                    if i == len(ids) or ids[i] != ids[start]:
                        axes.plot(t[start:i], values[n][start:i], linewidth=0.5, alpha=0.5)
                        start = i
        else:
            summaries = sorted({n.rsplit("_", 1)[0] for n in names if re.search(r"_(mean|p[0-9.]+)$", n)})
            plain = [n for n in names if not any(n.startswith(s + "_") for s in summaries)]
            for s in summaries:
                pcts = sorted(
                    (float(n.rsplit("_p", 1)[1]), n) for n in names if re.fullmatch(re.escape(s) + r"_p[0-9.]+", n))
                while len(pcts) >= 2:
                    low, high = pcts[0], pcts[-1]
                    axes.fill_between(t, values[low[1]], values[high[1]], alpha=0.2,
                                      label=f"{s} p{low[0]:g}-p{high[0]:g}")
                    pcts = pcts[1:-1]
                if pcts:
                    axes.plot(t, values[pcts[0][1]], linewidth=2, label=f"{s} p{pcts[0][0]:g}")
                if s + "_mean" in values:
                    axes.plot(t, values[s + "_mean"], linestyle="--", linewidth=1, label=f"{s} mean")
            for n in plain:
                if "_above_" in n:
                    continue
                axes.plot(t, values[n], linewidth=2, label=n)
        axes.set_xlabel(f"time ({time_unit})")
        units = {unit_of(n) for n in names if unit_of(n)}
        axes.set_ylabel("concentration (ng/mL)" if units == {"ng/mL"} else ", ".join(sorted(units)) or "value")
    if args.log:
        axes.set_yscale("log")
    axes.grid(True, alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8)
    axes.set_title(f"{args.csv} (KetaSim; teaching and research only, not for dosing)", fontsize=9)
    figure.tight_layout()
    figure.savefig(args.output or args.csv + ".png")


if __name__ == "__main__":
    main()
