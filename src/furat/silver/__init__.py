"""Silver data: machine annotation of a large raw corpus, on DataTrove (local, Slurm or Ray)."""
