"""The exercises' grading, in plain Python: no NumPy, no PyTorch, no import outside this folder.

The same code grades in two places. In a Jupyter kernel, convlib.exercises turns the learner's
arrays and tensors into lists and asks these modules for the verdict. On the book site, the page's
own Python (Pyodide, in a Web Worker) loads this folder as the package `grading` and asks
`page.Page` the same questions about what the reader typed, against a table of answers and cases
computed when the book is built (convlib.exercises.table).

    values      what a value is as plain data (as_lists), and how it is shown (shown)
    rules       whether a value is right: same, any_order, flat, per_axis(n), yes_no; each names
                itself (rule.spec) so a table can carry it
    properties  rules that grade by a property (any kernel that gives the target, ...)
    verdicts    the messages: Right!, Not yet and the hint, the first failing case, reveal
    page        what the book site's page calls
"""
