"""Learning measures (methods.md section 4): revision and reinforcement of ratings, preference change, listening
across lines (measures.py), map convergence (maps.py) and the Deliberative Reason Index (dri.py)."""
