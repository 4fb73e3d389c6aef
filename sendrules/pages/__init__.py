"""Pages: static, self-contained HTML views of what the engine outputs.

Each page is rendered from the same data as the JSON output (a decision's ``to_dict()``, a
replay result, a standards diff), never from a second computation: a page is a view. Pages
need no network and no server: CSS is inline, charts are Vega-Lite specifications compiled
to inline SVG here (``charts``), there is no script. Every chart has a table alternative, the
palette is colour-blind-safe (Okabe and Ito) and status is always written in words too; a
print stylesheet is included.

    render          the Jinja2 environment, shared layout and helpers
    charts          Vega-Lite -> SVG (vl-convert), the palette
    timeline        a child's timeline (sendrules decide --format html; GET /v1/decisions/ID)
    audit_report    the auditor's report (sendrules replay ID --format html|pdf)
    standards_diff  the standards diff (sendrules diff A B --format html)
    pdf             print a page to PDF with headless Chromium
"""
