# Two commands do everything from a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RASA := $(CURDIR)/.venv-rasa/bin/rasa
PY := $(CURDIR)/.venv/bin/python
MODEL := models/asb.tar.gz
MODEL_INPUTS := config.yml domain.yml $(shell find data -type f -name '*.yml' 2>/dev/null | sort)
export UV_PYTHON_PREFERENCE := system
# Trust the machine's certificate store (a proxy or mirror may present a local CA).
export UV_SYSTEM_CERTS := 1

.PHONY: population help setup run test test-fast checks lint train safety-model validate rasa-test bench fuzz faults clean

help:
	@echo "make run    - install what is missing, train if needed, start everything"
	@echo "make test   - install what is missing and run the whole test suite"
	@echo "make lint   - ruff, mypy and the import layers (lint-imports)"
	@echo "make train  - train the Rasa model if its inputs changed"
	@echo "make safety-model - train the safety triage model if its inputs changed"
	@echo "make bench  - run the benchmarks (figures go in bench/RESULTS.md)"
	@echo "make fuzz   - a longer schemathesis run against the gateway's OpenAPI"
	@echo "make faults - kill parts of a running stack during batches of reports"
	@echo "make population - every simulated resident (tests/population) reports over chat and SMS; prints the figures"

# --- installation ---------------------------------------------------------------------
$(CURDIR)/.tools/bin/uv:
	@echo "==> uv not found: installing uv $(UV_VERSION) into .tools/"
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@echo "==> Service environment (.venv, Python 3.11+) from uv.lock"
	$(UV) sync --frozen
	@touch $@

.venv-rasa/.installed: requirements/rasa.lock.txt scripts/find-python310.sh | $(UV)
	@echo "==> Rasa environment (.venv-rasa, Python 3.10) from requirements/rasa.lock.txt (about 2 minutes the first time)"
	@py310=$$(scripts/find-python310.sh $(UV)) && echo "    using $$py310" && \
	  $(UV) venv --allow-existing --python "$$py310" .venv-rasa && \
	  VIRTUAL_ENV=.venv-rasa $(UV) pip sync --require-hashes requirements/rasa.lock.txt
	@touch $@

setup: .venv/.synced .venv-rasa/.installed

# Retrain only when the model's inputs changed (a content hash, not file times).
train: setup
	@hash=$$(cat $(MODEL_INPUTS) | sha256sum | cut -d' ' -f1); \
	if [ -f $(MODEL) ] && [ "$$(cat models/.inputs.sha256 2>/dev/null)" = "$$hash" ]; then \
	  echo "==> Rasa model is up to date"; \
	else \
	  echo "==> Training the Rasa model (about 20 seconds)"; \
	  $(RASA) train --fixed-model-name asb --out models --quiet && echo "$$hash" > models/.inputs.sha256; \
	fi

# The safety model: retrained when the corpus or the code that shapes it changed (the
# trainer compares a hash of its inputs); its report goes beside it (report.json).
safety-model: .venv/.synced
	@$(PY) -m bot.safety.train --if-changed > /dev/null

# --- running ----------------------------------------------------------------------------
run: train safety-model
	$(PY) -m bot.cli run --model $(MODEL)

# --- checks -----------------------------------------------------------------------------
lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports --no-cache

validate: setup
	@echo "==> rasa data validate"
	@$(PY) scripts/rasa_validate.py $(RASA)

rasa-test: train
	@echo "==> Rasa test stories (fail on any prediction error)"
	$(RASA) test core --model $(MODEL) --stories tests/rasa/test_stories.yml \
	  --fail-on-prediction-errors --out var/rasa-test-results --quiet

# The safety model trains while the Rasa model is trained and the linters and Rasa's own
# checks run (two jobs at a time; each step's output is printed whole when it ends).
test: setup
	@$(MAKE) --no-print-directory -j2 --output-sync=target safety-model checks
	@echo "==> pytest (unit, end-to-end against real Rasa, Valkey and the action server, browser)"
	$(UV) run --frozen pytest -m "not faults" -ra

checks: lint validate rasa-test

# Fault tests start stacks of their own and kill their processes; not part of make test.
faults: train safety-model
	$(UV) run --frozen pytest -m faults -ra

population: train safety-model
	$(UV) run --frozen pytest -q -s tests/population

# make test runs the fuzz test with 15 examples per operation; this searches longer.
fuzz: train safety-model
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(UV) run --frozen pytest -q tests/test_fuzz.py

bench: train safety-model
	$(UV) run --frozen python -m bench

clean:
	rm -rf .venv .venv-rasa .tools models var test-artifacts
