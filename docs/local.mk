# docs/: build rules (filled in by its module).
