"""Reports from the store's figures.

``trends``        a council year by year, across a change of type (:func:`~.trends.council_trend`);
``summary``       a year's national and per-group totals, categories, highest and lowest, and the
                  summary as text;
``dispersion``    the summary's over-dispersion table (φ and τ² per group and rate);
``charts``        trend, group and funnel charts for ``lgsco-stats chart`` (matplotlib, PNG or
                  SVG);
``ranked``        a group's councils ranked (``charts.group_chart``), those with too few cases
                  left out;
``chart_layout``  text measured to wrap the charts' titles and lay out their legends;
``funnel``        the funnel plot's drawing (``charts.funnel_chart`` calls it);
``site``          the static report site: its folder, pages and downloads written, from the
                  Jinja2 ``templates`` here;
``site_write``    the site's files written on a thread, the council pages in a second process;
``pages``         what the site's pages have in common: cells as text, places in the group,
                  downloads, the search index;
``index_page``    the data of a year's index page;
``group_page``    the data of a group's page for a year;
``council_page``  the data of a council's page (every year);
``svg``           the site's charts as SVG text: a rate by year, a group ranked;
``svg_funnel``    the site's funnel plots as SVG text.
"""
