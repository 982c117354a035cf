"""Local set-up used by `make run` and `make test`: a private PostgreSQL and the run loop."""
