# The two commands of the README, and the steps they are made of.
#   make demo   install what is missing, build, run the kiosk in demo mode
#   make test   install what is missing, build, run every test (plain,
#               then clang-tidy, ASan+UBSan, ThreadSanitizer, then each
#               fuzzer briefly)
# ARGS is passed to the kiosk: make demo ARGS=--window

JOBS     ?= $(shell nproc)
ARGS     ?=
FUZZ_SECONDS ?= 12

.PHONY: demo test deps build build-asan build-tsan build-fuzz test-plain test-tidy test-asan test-tsan test-fuzz bench coverage clean

demo: deps build
	./build/app/bdc-kiosk --demo $(ARGS)

# Each stage prints one summary line; the last line adds them up and fails
# on any failed or skipped test.
test: deps
	@./tests/stage.sh --reset
	@$(MAKE) --no-print-directory -k test-plain test-tidy test-asan test-tsan test-fuzz; rc=$$?; \
	  ./tests/stage.sh --total plain tidy asan tsan fuzz && exit $$rc

deps:
	@./system/deploy/bootstrap.sh

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

build-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

build-tsan:
	@cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DKIOSK_TSAN=ON >/dev/null
	@cmake --build build-tsan -j $(JOBS)

build-fuzz:
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DKIOSK_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzzers

test-plain: build
	@./tests/stage.sh plain build -j $(JOBS) -LE bench

# clang's static analyser and bug-prone checks over every C file the build
# compiles: zero findings.
test-tidy: build
	@./tests/style/tidy.sh build

test-asan: build-asan
	@ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./tests/stage.sh asan build-asan -j $(JOBS) -LE 'bench|slow'

# One test at a time: the whole kiosk's journey has timeouts that TSan's
# slowdown plus a second test would stretch.
test-tsan: build-tsan
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ./tests/stage.sh tsan build-tsan -j 1 -L tsan

test-fuzz: build-fuzz
	@./tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# The benchmarks measure some figures against a peer (OpenCV's face
# detector): install it, and configure again so the build finds it.
bench:
	@./system/deploy/bootstrap.sh --bench
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)
	./tests/bench/run.sh build

# Line and branch coverage of app/, drivers/ and system/ by folder, from the
# plain test suite (not part of make test).
coverage: deps
	@cmake -S . -B build-cov -DCMAKE_BUILD_TYPE=Debug -DKIOSK_COVERAGE=ON >/dev/null
	@cmake --build build-cov -j $(JOBS)
	@find build-cov -name '*.gcda' -delete
	@cd build-cov && ctest -j $(JOBS) -LE bench >ctest.log 2>&1 || { tail -30 ctest.log; exit 1; }
	@./tests/coverage.sh build-cov

clean:
	rm -rf build build-asan build-tsan build-fuzz build-cov
