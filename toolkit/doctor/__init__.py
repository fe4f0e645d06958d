"""Diagnose and repair pandas + scikit-learn training scripts and notebooks.

How ``toolkit doctor`` works, step by step:

1. :func:`toolkit.analysis.source.load_source` reads the script (or a notebook's code
   cells, in order) and refuses anything that is not parseable Python.
2. :mod:`toolkit.doctor.flow` walks the statements once in source order and records
   *facts*: which names hold rows from before the split (``full``) and which hold
   ``train`` / ``test`` rows (from tuple-unpacked ``train_test_split``, or from names
   like ``X_test`` derived from full rows), and every estimator construction, fit,
   transform, predict, score, metric, load and model write with the roles of its
   arguments at that moment.
3. Each rule family in :mod:`toolkit.doctor.rules` (leakage, evaluation,
   reproducibility, pandas, data, robustness) reads the facts and yields findings
   with a line, a severity, a message and a fix; each rule has a page in
   ``docs/rules/``.
4. With ``--run``, :mod:`toolkit.doctor.instrument` copies the working folder,
   executes the script there under a small shim that patches scikit-learn and pandas
   entry points, and confirms or dismisses findings with what it measured (rows seen
   by each fit against the train split, row-hash overlap between train and test,
   time order across the split, rows dropped per line, train against test score).

``toolkit repair`` (:mod:`toolkit.doctor.repair`) applies the safe fixes as libcst
codemods that keep the file's formatting, runs the repaired script, and checks that
the doctor no longer reports the repaired rules.

A small example::

    X = StandardScaler().fit_transform(df[cols])   # L01: fitted on every row
    X_tr, X_te, y_tr, y_te = train_test_split(X, df["churned"])   # R01: no seed
"""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
