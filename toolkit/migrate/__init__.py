"""Migrate a script to a Luigi DAG and verify the DAG computes the same outputs."""
