"""Reporting pages, a module each: dashboard (and its charts, and the committee pack), compare, consistency,
drilldown, exports, comments and measures; `report` holds what every page starts from.

Every page reads through reporting.selectors (the viewer's performance purview) and the figures in
reporting.figures; the views only assemble tables. Query-string parameters, shared by every page and export:

- filters: ``period`` (a label: ``2025-26``, ``2025-26 Q2``, ``2025-05`` or ``2025-04-10..2025-05-31``; default the
  current business year), ``area``, ``unit``, ``team``, ``assessor`` (ids), ``activity`` (``advice``,
  ``charging_review``, ``case_progression``, ``case_presentation``), ``sensitive_category``, ``court``
  (``magistrates`` or ``crown``);
- ``reporting:compare`` also: ``dimension`` (``activity``, ``area``, ``unit``, ``team``, ``assessor`` or ``period``),
  ``values`` (repeated: ids, or activity codes) or, for ``dimension=period``, ``periods`` (labels separated by
  commas, e.g. ``2024-25 Q3,2025-26 Q3``);
- ``reporting:drilldown`` also: ``question`` (a stable code such as ``Q9``), ``answer`` (``fully_met``,
  ``not_met``, ``not_met_other``, ``not_applicable``), ``reason`` (a reason code such as ``Q9.3``), ``what``
  (``late``, ``feedback_given``, ``dip_sampled``, ``office_based``, ``court_based``, ``live``, ``finalised``,
  ``action_required``) and ``page``;
- ``reporting:export`` takes ``page`` (dashboard, compare, consistency, drilldown), ``table`` (a table's name, or
  ``all`` for every table of the page in one workbook) and ``fmt`` (``csv`` or ``xlsx``) in its path, and the page's
  parameters in its query string.
"""
