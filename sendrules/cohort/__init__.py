"""The population layer: whole cohorts of journeys decided, counted and compared.

``sendrules cohort run`` decides every journey of a cohort (JSON Lines or Parquet) with one
prepared standard, in partitions, on local processes or a Dask cluster, and writes the findings
(Parquet), the measures the pack defines (numerator and denominator kept apart), the refused
journeys and a manifest. ``report``, ``compare``, ``due`` and ``synth`` work from there;
``sendrules import sen2`` turns a local authority's SEN2 return into journeys.

One module per stage (docs/cohorts.md has the whole picture):

    inputs.py     reading JSON Lines / Parquet input, and planning partitions of it
    partition.py  the partition function: validate, decide, tabulate findings, count measures
    measures.py   evaluating the pack's measures for one journey
    regions.py    local authority -> region (a bundled, cited lookup)
    runner.py     running the partitions (local processes or Dask), resuming, writing outputs
    report.py     measures by local authority, region, school or trust, with suppression
    compare.py    the same cohort under two standards: what changes
    due.py        the duties due soon in a caseload
    synth.py      a seeded synthetic national cohort
    sen2.py       SEN2 return -> journeys
    cli.py        the ``sendrules cohort`` and ``sendrules import`` commands
"""
