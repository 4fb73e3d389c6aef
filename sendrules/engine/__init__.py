"""The engine: journeys in, decisions out.

Stages, one module each:

* ``calendar``  -- all date arithmetic (weeks, months, working and school days, bank holidays)
* ``term_dates``-- term-dates files and the assumed England term pattern, as calendars
* ``library``   -- finding standards packs and choosing the version in force
* ``journey``   -- validating a journey against the standard's event vocabulary
* ``request``   -- a whole decision request (journey, as_of, standards, school closures)
* ``prepared``  -- a standard prepared once for deciding (validator, compiled conditions)
* ``conditions``-- rule conditions compiled into small functions
* ``deadlines`` -- due dates of a rule for one trigger, from the calendar
* ``findings``  -- status and explanation of one finding
* ``backends``  -- the registry of backends, by name
* ``evaluator`` -- the reference backend: plain Python over the compiled rules
* ``rete``      -- the Rete backend, on durable-rules
* ``provision`` -- the standard's decision tables applied to a journey
* ``decision``  -- the decision record, its JSON form and hashes
* ``service``   -- the entry point the CLI and the HTTP API share
"""

from sendrules import __version__  # the engine version is the package version

__all__ = ["__version__"]
