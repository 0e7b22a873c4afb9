"""Jinja2 templates and the stylesheet of the static report site (``lgsco-stats report``)."""
