"""The ops API (``python -m ops``): operators find cases by state and act on them. The read model
it queries is ``onething.readmodel``, shared with the window; the two APIs import nothing from
each other."""
