#!/usr/bin/env python3
"""Write the population data set of the solver issue's regression job, as CSV on stdout.

Usage:
    python3 Scripts/make-population-data.py N SEED > subjects.csv

N subjects (IDs 1..N), each with one dose record: 200 mg oral into the depot (CMT 1) at TIME 0
(EVID 1, AMT 200), for Models/examples/parent-metabolite-mm.yaml. Each subject carries two random
effects, drawn independently from Normal(0, omega^2) with omega^2 = 0.09 (a CV of about 30 %):

    ETA_VMAX  Vmax = 16 mg/h * exp(ETA_VMAX)
    ETA_VC    Vc   = 70 L    * exp(ETA_VC)

The draws come from numpy's default_rng(SEED), ETA_VMAX and ETA_VC of subject 1 first, then
subject 2, ...; the same N and SEED always give the same file (for a given numpy: the PCG64
generator and its normal sampler are stable across numpy releases). Numbers are written with
Python's repr, the shortest form that reads back as the same double.

Header, exactly:  ID,TIME,EVID,AMT,CMT,ETA_VMAX,ETA_VC

The whole job (Scripts/compare-solvers.py runs it):
    ketasim run --model Models/examples/parent-metabolite-mm.yaml --data subjects.csv \
        --every 1min --until 24h --output out.csv

A helper for Scripts/compare-solvers.py; not part of the test suite. Needs numpy only.
"""

import sys

import numpy as np

OMEGA2 = 0.09  # variance of each ETA (CV about 30 %)
DOSE_MG = 200  # written as the integer 200


def population(n: int, seed: int) -> np.ndarray:
    """The ETAs of n subjects, shape (n, 2): column 0 ETA_VMAX, column 1 ETA_VC."""
    rng = np.random.default_rng(seed)
    # One (n, 2) draw, row-major: subject 1's ETA_VMAX, subject 1's ETA_VC, subject 2's, ...
    return rng.normal(0.0, np.sqrt(OMEGA2), size=(n, 2))


def write(n: int, seed: int, out) -> None:
    etas = population(n, seed)
    lines = ["ID,TIME,EVID,AMT,CMT,ETA_VMAX,ETA_VC"]
    for i in range(n):
        eta_vmax, eta_vc = float(etas[i, 0]), float(etas[i, 1])
        # TIME 0, EVID 1 (dose), AMT 200 mg, CMT 1 (depot).
        lines.append(f"{i + 1},0,1,{DOSE_MG},1,{eta_vmax!r},{eta_vc!r}")
    out.write("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write("usage: make-population-data.py N SEED > file.csv\n")
        return 2
    try:
        n, seed = int(argv[1]), int(argv[2])
    except ValueError:
        sys.stderr.write("make-population-data.py: N and SEED must be integers\n")
        return 2
    if n < 1 or seed < 0:
        sys.stderr.write("make-population-data.py: N must be >= 1 and SEED >= 0\n")
        return 2
    write(n, seed, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
