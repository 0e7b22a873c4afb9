"""Jinja2 templates: the default letters (``letter.md.j2``, the letter in Markdown, and
``letter.html.j2``, the HTML page around it, with ``letter.css``) and the pages and stylesheet of
the static report site (``lgsco-stats report``)."""
