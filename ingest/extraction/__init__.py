"""Pure extraction core: text and metadata in, dataclasses out.

Nothing here imports Django, touches a database or opens a socket, so the core can be
tested, scored and benchmarked alone.
"""
