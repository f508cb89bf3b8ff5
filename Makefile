# The two commands the README opens with.
.PHONY: run test build

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
