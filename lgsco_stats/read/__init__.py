"""Reading spreadsheets: everything that turns files into a :class:`~.dataset.Dataset`.

``files``       :func:`~.files.read_file`, :func:`~.files.read_files` and
                :func:`~.files.inspect_files`: each sheet read as its kind says;
``kinds``       a sheet's kind from its headers and values: decisions, compliance outcomes or a
                published table;
``dataset``     the :class:`~.dataset.Dataset` and its frames' columns;
``problems``    the errors, warnings and notes of a run, gathered and raised as one error;
``report``      how each sheet was understood (for ``inspect``);
``layout``      the year in a sheet's name or title, and rows that are totals or notes;
``sheets``      a file's sheets as text cells below their header row (workbooks and CSV);
``text``        text files' size limit and encoding (UTF-8, or cp1252; a stray byte named);
``workbook``    workbooks parsed by fastexcel (calamine) on worker threads;
``guards``      what reading a file may cost: zip sizes, cells and text per sheet, and the child
                process calamine reads in (capped memory and time);
``xlsx_head``   the first rows of an ``.xlsx`` sheet, read from a cut copy of the workbook;
``headers``     the header aliases and the header row;
``cells``       columns as text or distinct values, and the checks on them;
``numbers``     count and rate cells as people write them, and the bounds of a real count;
``error_cells`` Excel's error cells, which the parser gives as blank;
``dates``       date cells;
``decisions``   case-level decisions and compliance outcomes;
``published``   published per-authority counts, rates and complaints received by category;
``identities``  a published table's counts made whole from its totals, and checked;
``duplicates``  a case reference (or an authority and year) given twice;
``columns``     Arrow helpers for text columns of few distinct values;
``population``  population files (``--population``);
``aliases``     a user's own names for councils (``--aliases``);
``allocator``   Arrow's memory allocator for a load.

The package's own ``__init__`` imports nothing, so that a workbook can be parsed before pandas
is imported (``compute`` does).
"""
