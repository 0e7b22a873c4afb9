"""Reports from the store's figures.

``trends``    a council year by year, across a change of type (:func:`~.trends.council_trend`);
``summary``   a year's national and per-group totals, categories, highest and lowest, and the
              summary as text;
``dispersion`` the summary's over-dispersion table (φ and τ² per group and rate);
``charts``    trend, group and funnel charts (matplotlib, PNG or SVG);
``funnel``    the funnel plot's drawing (``charts.funnel_chart`` calls it);
``site``      the static report site, from the Jinja2 ``templates`` here.
"""
