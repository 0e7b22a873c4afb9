"""Annual review letters.

``fields``    the letter's data: :class:`~.fields.Contact`, :class:`~.fields.Settings`,
              :class:`~.fields.Fields`;
``wording``   the wording rules: numbers in prose and each sentence the figures choose;
``as_published`` the sentence on a rate a published table gave without its counts;
``context``   :func:`~.context.letter_context`: every field of one council's letter, from one
              record of :func:`lgsco_stats.figures.council_figures`;
``render``    templates (sandboxed Jinja2, strict fields) and Markdown → HTML;
``word``, ``pdf``  Word and PDF letters from the same Markdown;
``contacts``  the contacts file: who each letter goes to;
``batch``     every letter of a year, written with worker processes for Word and PDF;
``templates`` the default templates (``letter.md.j2``, ``letter.html.j2``, ``letter.css``).

Everything here is pure but for ``batch``, which writes files; none of it prints.
"""
