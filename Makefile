# The two commands the README opens with.
.PHONY: run test build bench

SWIFT ?= swift

# Prepare ./run/ (development config, maildir transport, example members) and run the service.
run:
	./scripts/setup.sh
	./scripts/dev.sh

# Run every test, installing what the tests need first.
test:
	./scripts/setup.sh
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	./scripts/setup.sh
	$(SWIFT) build

# Measure delivery, queueing, memory and start-up against references in the same run (BENCHMARKS.md).
bench:
	WITH_BENCH=1 ./scripts/setup.sh
	$(SWIFT) build -c release --product tiedotin
	$(SWIFT) build -c release --product bare-sender
	python3 scripts/bench.py $(BENCH_ARGS)
