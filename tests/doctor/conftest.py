"""The fixtures are scripts to analyse, never tests to collect."""

collect_ignore_glob = ["fixtures/*"]
