#!/usr/bin/env bash
# Formats every Swift file with the toolchain's swift-format and the committed .swift-format.
# `Scripts/format.sh --check` only lints and exits non-zero when a file is not formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests)
[ -d Benchmarks ] && paths+=(Benchmarks/Package.swift Benchmarks/Benchmarks)
if [ "${1:-}" = "--check" ]; then
  swift format lint --recursive --parallel "${paths[@]}"
else
  swift format format --in-place --recursive --parallel "${paths[@]}"
fi
