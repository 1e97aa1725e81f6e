# The two commands of the README: `make sample` (main job on the sample) and `make test`.
# Both set up everything they need on a fresh machine: the venv, Python wheels
# (kept in a wheelhouse in the user cache, so torch's several GB are fetched once),
# and the Neo4j jars (cached by Maven in ~/.cache/movegraph/maven).
PYTHON ?= python3
VENV   ?= .venv
SHARED ?= ../shared
WHEELS ?= $(HOME)/.cache/movegraph/wheels
BIN    := $(VENV)/bin
PIP_LOCAL := $(BIN)/pip install --quiet --no-index --find-links $(WHEELS)

.PHONY: setup browser sample lint test neo4j-stop clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "movegraph needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	@mkdir -p $(WHEELS)
	@echo "fetching wheels missing from $(WHEELS) (the first time this downloads torch: several GB)"
	$(BIN)/pip wheel --quiet --find-links $(WHEELS) --wheel-dir $(WHEELS) ".[train,test]" setuptools wheel
	$(PIP_LOCAL) setuptools wheel
	$(PIP_LOCAL) --no-build-isolation -e ".[train,test]"
	touch $@

# The trained event model is not in git: trained here (5-15 min on 2 cores) when the
# user cache, or the folder/hub id in MOVEGRAPH_MODEL_PATH, has none.
sample: setup
	$(BIN)/movegraph train --if-missing
	$(BIN)/movegraph neo4j start
	$(BIN)/movegraph run $(SHARED)/articles/sample.jsonl

# Debian's Chromium for the Browser screenshot test (no browser download); without it that test skips.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	  echo "chromium could not be installed: the Browser screenshot test will skip"

# Lint and types first (ruff: seconds; mypy: about a minute uncached), then the suite against a real Neo4j.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup browser lint
	$(BIN)/pytest

neo4j-stop: setup
	$(BIN)/movegraph neo4j stop

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
