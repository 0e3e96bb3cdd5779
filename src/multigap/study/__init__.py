"""Studies over many points: resumable sweeps and their store, pressure paths and dome
fits, and inverse design.
"""
