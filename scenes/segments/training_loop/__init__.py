"""The training-loop segment: the scene and its params (the five steps, the run, the timings)."""
