"""Tools for policy teams: what a new version of a standard changes (``diff``) and the
standard as a readable document (``document``). They read compiled standards only."""
