"""movegraph."""
