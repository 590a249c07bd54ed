# Tidings: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test deps fmt-check clippy unit bench soak clean

## make run: install what is missing, build, and open the demo team on the
## local store in your data folder (~/.local/share/tidings).
run: deps
	$(CARGO) build --bin tidings
	./target/debug/tidings demo

## make test: install what is missing, build, check formatting and lints,
## and run every test.
test: deps fmt-check clippy unit

deps:
	@./.ci/install-deps
	@./.ci/install-nats >/dev/null

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test --lib --bins --tests
	$(CARGO) test --doc

## make bench: Tidings against SQLite on the same workload (BENCHMARKS.md).
bench: deps
	$(CARGO) bench --bench store_vs_sqlite
	$(CARGO) bench --bench sync

## make soak: the crash test with 1,000 SIGKILL cycles instead of 50.
soak: deps
	TIDINGS_CRASH_CYCLES=1000 $(CARGO) test --test tests -- crash --nocapture

clean:
	$(CARGO) clean
