"""Reports from the store's figures.

``trends``    a council year by year, across a change of type (:func:`~.trends.council_trend`);
``summary``   a year's national and per-group totals, categories, highest and lowest, and the
              summary as text;
``charts``    trend and group charts (matplotlib, PNG or SVG);
``site``      the static report site, from the Jinja2 ``templates`` here.
"""
