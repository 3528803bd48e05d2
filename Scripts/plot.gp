# Plots any KetaSim CSV with gnuplot (5.0 or later): every column after the time against the
# time, the axis labelled with the column's unit. Teaching and research only.
#
#   gnuplot -e "file='curve.csv'; out='curve.svg'" Scripts/plot.gp
#   gnuplot -e "file='summary.csv'; out='summary.svg'; logy=1" Scripts/plot.gp
#
# A per-subject population file (first column `id`) is drawn as points; a summary file's
# columns (_mean, _p5 … _p95) as lines like any other. `out` ending in .png uses the png
# terminal; otherwise SVG.
if (!exists("file")) { print "plot.gp: give the CSV with -e \"file='curve.csv'\""; exit status 2 }
if (!exists("out")) { out = file . ".svg" }
if (!exists("logy")) { logy = 0 }
set datafile separator ","
if (strstrt(out, ".png") > 0) { set terminal png size 1000,600 } else { set terminal svg size 1000,600 dynamic }
set output out
# The header: the number of columns, whether the first is `id`, the time column's unit.
header = system(sprintf("head -n 1 '%s'", file))
columns = words(system(sprintf("head -n 1 '%s' | tr ',' ' '", file)))
first = system(sprintf("head -n 1 '%s' | cut -d, -f1", file))
population = (first eq "id") ? 1 : 0
timecolumn = population ? 2 : 1
timename = system(sprintf("head -n 1 '%s' | cut -d, -f%d", file, timecolumn))
unit = system(sprintf("echo '%s' | sed 's/^time_//'", timename))
set xlabel sprintf("time (%s)", unit)
set ylabel (strstrt(header, "_ng_per_ml") > 0 ? "concentration (ng/mL)" : "value")
set key outside right
set grid
if (logy) { set logscale y }
set title sprintf("%s (KetaSim; teaching and research only, not for dosing)", file) noenhanced
if (population) {
  plot for [i=3:columns] file using timecolumn:i with points pointtype 7 pointsize 0.3 title columnheader(i) noenhanced
} else {
  plot for [i=2:columns] file using 1:i with lines linewidth 2 title columnheader(i) noenhanced
}
