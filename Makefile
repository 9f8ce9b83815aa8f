# Two commands for a fresh machine: `make run` and `make test`. Both install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test install bench eval clean

# Ingest the default documents, then the Telegram bot if INDGANG_TELEGRAM_TOKEN is set,
# else the same conversation in the terminal (it ends at end of input, so it also runs
# with standard input closed or piped). A file ingest could not read, or a sync it
# refused, does not keep the assistant from answering from the index as it is ("-").
run: $(INSTALLED)
	-$(BIN)/indgang ingest
	@if [ -n "$$INDGANG_TELEGRAM_TOKEN" ]; then $(BIN)/indgang bot; else $(BIN)/indgang chat; fi

# Two workers when there are two cores: most of the time goes to tests that start the
# command line in a process of its own (each loads the model), and those run side by side.
test: $(INSTALLED)
	$(BIN)/python -m pytest -q -n auto --maxprocesses 2

install: $(INSTALLED)

# torch first and pinned: its CPU wheel is on disk here; anything else pulls CUDA.
# constraints.txt pins the resolved set so pip does not spend minutes resolving.
$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Indgang needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -c 'from knowledge.settings import Settings; from knowledge.index.model_preparation import prepare_default_model; print("Sprogmodel klar:", prepare_default_model(Settings().cache_dir))'
	touch $(INSTALLED)

bench: $(INSTALLED)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/answer.py
	$(BIN)/python bench/bot_load.py
	$(BIN)/python bench/site_sync.py

# Our own question set and its two partner probes, the real-style pages' four sets, then
# the real-pages set (its fit splits and the report half) when its pages are present (they
# are not committed: see bench/realpages/README.md).
eval: $(INSTALLED)
	$(BIN)/indgang ingest knowledge/corpus $(wildcard ../shared/seeds) --store .eval-store
	$(BIN)/indgang eval bench/questions.jsonl --store .eval-store --modes dense,keyword,hybrid
	$(BIN)/indgang eval bench/probe_questions.jsonl --store .eval-store
	$(BIN)/indgang eval bench/context_questions.jsonl --store .eval-store
	$(BIN)/indgang eval bench/setting_questions.jsonl --store .eval-store
	$(BIN)/indgang ingest tests/realstyle --store .realstyle-store
	$(BIN)/indgang eval tests/realstyle/questions.jsonl --store .realstyle-store
	$(BIN)/indgang eval tests/realstyle/partner_questions.jsonl --store .realstyle-store
	$(BIN)/indgang eval tests/realstyle/probe_questions.jsonl --store .realstyle-store
	$(BIN)/indgang eval tests/realstyle/context_questions.jsonl --store .realstyle-store
	$(BIN)/indgang eval tests/realstyle/setting_questions.jsonl --store .realstyle-store
	@if [ -d bench/realpages/pages ]; then \
	  $(BIN)/indgang ingest bench/realpages/pages --store .realpages-store && \
	  for split in fit fit2 fit3 fit4 report; do \
	    $(BIN)/indgang eval bench/realpages/questions.jsonl --store .realpages-store --split $$split; \
	  done; \
	  $(BIN)/indgang eval bench/realpages/place_questions.jsonl --store .realpages-store; \
	  $(BIN)/indgang eval bench/realpages/town_questions.jsonl --store .realpages-store; \
	else echo "bench/realpages/pages is missing: see bench/realpages/README.md"; fi

clean:
	rm -rf $(VENV)
