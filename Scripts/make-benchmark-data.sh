#!/usr/bin/env bash
# Writes the input of the data-set benchmark (mrgsolve's published benchmark, rebuilt): N subjects
# (default 10,000), each with one dose record of 100 mg into the depot every 24 h, 28 doses
# (AMT 100, II 24, ADDL 27), for the conformance model Models/conformance/nmtests-advan2.yaml.
# Usage: Scripts/make-benchmark-data.sh [N] > subjects.csv
set -euo pipefail
n=${1:-10000}
echo "ID,TIME,EVID,AMT,CMT,II,ADDL"
awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "%d,0,1,100,1,24,27\n", i }'
