"""Import from the national registers (FINESS, RPPS): upstream of ``load``.

``maillage import`` reads a national file, maps its rows onto the vocabularies, and
reconciles them with the registry without ever overwriting what a person owns:

* :mod:`~maillage.imports.textfile` opens plain or zipped files, detects their encoding
  and streams their lines (the national RPPS activity file is ~0.8 GB);
* :mod:`~maillage.imports.finess` and :mod:`~maillage.imports.rpps` are the readers, behind
  the small interface of :mod:`~maillage.imports.entities` (a reader yields
  :class:`~maillage.imports.entities.Entry` objects: the ANS is replacing the FINESS
  extraction by a JSON feed, which will be one more reader);
* :mod:`~maillage.imports.mapping` turns official codes into vocabulary terms, as declared in
  ``professions.yaml`` and ``categories.yaml``;
* :mod:`~maillage.imports.normalise` rebuilds INSEE codes, addresses, names and phones;
* :mod:`~maillage.imports.snapshot` keeps what was last imported (``imports/<source>.csv``);
* :mod:`~maillage.imports.reconcile` matches entries with records and builds a
  :class:`~maillage.imports.plan.Plan` (pure data) and an import report;
* :mod:`~maillage.imports.apply` writes a plan (all files prepared first, then renamed);
* :mod:`~maillage.imports.candidates` reviews the candidates (accept, reject).
"""
