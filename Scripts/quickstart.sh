#!/usr/bin/env bash
# The README's first command: installs the system libraries when missing, builds ketasim and
# prints the depression-infusion curve (domino-1984, 70 kg, 0.5 mg/kg IV over 40 min) as CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
swift build --product ketasim >&2
.build/debug/ketasim run Models/scenarios/depression-infusion.yaml
