"""Renderers: pure functions from a Digest to the bytes of each output file."""
