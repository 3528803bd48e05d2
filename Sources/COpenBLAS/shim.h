// C shim for OpenBLAS (CBLAS) and LAPACKE. Only PKLinearAlgebra imports this module.
#ifndef KETASIM_COPENBLAS_SHIM_H
#define KETASIM_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
