"""Benchmarks for digest: a generated corpus, stage timings and the floor beside them.

Run ``python -m bench`` (``make bench``); see ``bench/__main__.py`` for options.
"""
