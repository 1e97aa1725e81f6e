# The two commands of the README: `make sample` (main job on the sample) and `make test`.
# Both set up everything they need on a fresh machine: venv, Python packages
# (wheels cached in ~/.cache/pip), Neo4j jars (cached in ~/.cache/movegraph/maven).
PYTHON ?= python3
VENV   ?= .venv
SHARED ?= ../shared
BIN    := $(VENV)/bin

.PHONY: setup sample test neo4j-stop clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "movegraph needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

sample: setup
	$(BIN)/movegraph neo4j start
	$(BIN)/movegraph run $(SHARED)/articles/sample.jsonl

test: setup
	$(BIN)/pytest

neo4j-stop: setup
	$(BIN)/movegraph neo4j stop

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
