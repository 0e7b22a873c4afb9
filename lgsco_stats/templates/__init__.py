"""The default letter templates (Jinja2): ``letter.md.j2`` (the letter, in Markdown) and
``letter.html.j2`` (the HTML page around it, with ``letter.css``)."""
