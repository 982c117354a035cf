# The commands the README names. Everything runs from the project's own .venv.
SHELL := /bin/bash
PY := .venv/bin/python
SEEDS ?= ../shared/seeds
GOLD ?= ../shared/gold/seed-events.json
TEMPEVAL ?= ../shared/benchmarks/tempeval3
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test eval bench lint check-deploy clean-local

.venv/.runtime: requirements.txt devenv/bootstrap.sh
	bash devenv/bootstrap.sh requirements.txt
	touch $@

.venv/.dev: requirements.txt requirements-dev.txt devenv/bootstrap.sh
	bash devenv/bootstrap.sh requirements-dev.txt
	touch .venv/.runtime $@

## run: database, migrations, editor login, sample articles through a worker, site on :8000
run: .venv/.runtime
	$(PY) -m devenv.run

## test: the whole suite on a real Postgres, with real workers and Chromium
test: .venv/.dev
	$(PY) -m devenv.test $(PYTEST_ARGS)

## eval: score the extractor on the seeds and on TempEval-3 (train and test)
eval: .venv/.dev
	@mkdir -p .local/eval
	DEBUG=true $(PY) manage.py extract_events $(SEEDS) --json > .local/eval/seeds.json
	python3 ../shared/eval/score_timeline.py --gold $(GOLD) --articles $(SEEDS) --pred .local/eval/seeds.json
	@for split in train test; do \
	  (cd $(TEMPEVAL) && python3 score.py dump $$split -o $(CURDIR)/.local/eval/te3_$$split.jsonl) && \
	  DEBUG=true $(PY) manage.py tag_dates .local/eval/te3_$$split.jsonl > .local/eval/te3_$$split.pred.jsonl && \
	  echo "TempEval-3 $$split:" && \
	  (cd $(TEMPEVAL) && python3 score.py score $$split $(CURDIR)/.local/eval/te3_$$split.pred.jsonl) || exit 1; \
	done

## bench: speed and memory benchmarks (figures are printed, not asserted)
bench: .venv/.dev
	$(PY) -m devenv.bench

lint: .venv/.dev
	$(PY) -m ruff check . || true

check-deploy: .venv/.runtime
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING
