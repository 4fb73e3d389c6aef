"""The language server for standards packs (``sendrules lsp``), on pygls.

* ``packs``      -- which pack a file belongs to; its files with the editor's unsaved text
  laid over the disk's; the pipeline's diagnostics for them (the same as ``sendrules check``)
* ``symbols``    -- every name written in a pack (.rules and YAML files): what it refers to and
  where that is defined
* ``describe``   -- the text shown on hover: a definition, the value in force, its source
* ``completion`` -- what may be written at the cursor
* ``server``     -- the protocol: pygls handlers that call the modules above
"""
