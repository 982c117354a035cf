"""Where articles come from: files, pasted text, URLs and feeds.

Each source turns its input into queued Article rows (or failed ones, with a reason);
the pipeline does the rest.
"""
