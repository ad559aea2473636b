# ChatEcomm: `make help` lists the targets. Every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
PYTHON ?= $(shell scripts/find-python.sh)
CATALOG ?=

# Embedded defaults (SQLite files under var/); override any of them in the environment or .env.
-include .env
export STORE_DATABASE_URL ?= sqlite:///$(CURDIR)/var/store.db
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help install db migrate train retrain run test test-stories eval-nlu import-catalog lint clean bench-search

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: make PYTHON=/path/to/python3.10"; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) (first time: a few minutes)"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade "pip<25" wheel 2>&1 | grep -v "^WARNING: Location" || true
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(VENV)/bin/python -c "import rasa, rasa_sdk, spacy, sqlalchemy, pandas" || { echo "install failed"; exit 1; }
	@touch $@

install: $(VENV)/.installed ## create the virtualenv and install the pinned requirements

var/store.db: $(VENV)/.installed
	$(PY) -m store.cli init

db: var/store.db ## build the sample store (SQLite under var/) if it does not exist, else migrate its schema
	@$(PY) -m store.cli migrate

migrate: install ## bring the store database (STORE_DATABASE_URL) to the newest schema revision (store/migrations)
	$(PY) -m store.cli migrate

train: install ## rasa train, unless the newest model was trained from the current data, config and components
	@latest=$$(ls -t models/*.tar.gz 2>/dev/null | head -n 1); \
	if [ -n "$$latest" ] && [ -f "$$latest.inputs" ] && [ "$$(cat "$$latest.inputs")" = "$$(scripts/training-inputs.sh)" ]; then \
	  echo "The newest model $$latest was trained from the current data: not retraining (make retrain forces it)"; \
	else $(MAKE) --no-print-directory retrain; fi

retrain: install ## rasa train, always (models/<model>.inputs records what it was trained from)
	@inputs=$$(scripts/training-inputs.sh); start=$$(date +%s); \
	$(RASA) train --quiet && latest=$$(ls -t models/*.tar.gz | head -n 1) && echo "$$inputs" > "$$latest.inputs" && \
	echo "Trained $$latest in $$(( $$(date +%s) - start )) s on $$(nproc) cores"

run: install db train ## start the action server, the Rasa server (REST, socket.io) and the web chat page
	@scripts/run.sh

test: install ## every test: lint, pytest, rasa data validate, train once, test stories, end-to-end
	$(PY) -m ruff check .
	$(PY) -m pytest -q -m "not e2e"
	$(RASA) data validate --quiet
	$(MAKE) --no-print-directory train
	$(MAKE) --no-print-directory test-stories
	$(PY) -m pytest -q -m e2e

test-stories: install ## rasa test on the test stories with --fail-on-prediction-errors (needs a model)
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --out results/core --quiet

eval-nlu: install ## NLU table: held-out tests/nlu, Bitext, CLINC150 out-of-scope, fallback sweep (trains if no model)
	@ls models/*.tar.gz >/dev/null 2>&1 || $(MAKE) --no-print-directory train
	@started=$$(date +%s); model=$$(ls -t models/*.tar.gz | head -n 1); \
	  rm -f results/nlu/*_report.json results/nlu/intent_confusion_matrix.png; \
	  echo "$(RASA) test nlu --model $$model --nlu tests/nlu --out results/nlu --quiet"; \
	  $(RASA) test nlu --model "$$model" --nlu tests/nlu --out results/nlu --quiet && \
	  $(PY) scripts/eval_nlu.py --model "$$model" --results results/nlu --started "$$started"

import-catalog: install ## import CATALOG=path (JSONL or CSV) and regenerate data/lookups
	@test -n "$(CATALOG)" || { echo "usage: make import-catalog CATALOG=path/to/catalog.jsonl"; exit 2; }
	$(PY) -m store.cli import-catalog "$(CATALOG)"

lint: install ## ruff
	$(PY) -m ruff check .

clean: ## remove models, results and the local databases (not the virtualenv)
	rm -rf models results var

bench-search: install ## search relevance (NDCG@10, P@5, MRR) and latency vs plain BM25, and vs a full Rasa REST turn
	$(PY) scripts/bench_search.py
