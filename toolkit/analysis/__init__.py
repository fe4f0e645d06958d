"""What ``migrate`` and ``doctor`` both need to know about a script or notebook.

- :mod:`toolkit.analysis.source`: ``load_source(path) -> SourceUnit`` reads a ``.py``
  or ``.ipynb`` file, refuses bad input, maps lines back to notebook cells.
- :mod:`toolkit.analysis.flow`: ``summarise_module(tree) -> ModuleSummary`` (imports,
  string constants, what each function mutates, reads and writes) and
  ``analyse_block(statements, module) -> BlockFlow`` (names read, bound and mutated;
  files and SQLite tables read and written; clock values; constructs that defeat a
  static pass).
- :mod:`toolkit.analysis.blocks`: ``split_script(unit, module) -> ScriptLayout``
  (definitions, the entry point, and the blocks of code a script runs).
"""
