# Conveniences for developers; both targets go through setup.sh (idempotent).
.PHONY: run test bench
run:
	bash setup.sh run
test:
	bash setup.sh test
bench:
	bash setup.sh install
	.venv/bin/python benchmarks/scorer.py
	.venv/bin/python benchmarks/turn_latency.py
	.venv/bin/python benchmarks/history_speed.py
