// Package testenv decides what a test does when a real service it needs (a
// PostgreSQL server, a Chromium browser) is not there: on a developer's machine
// it skips with a line saying how to run it; under LONTARA_TEST_STRICT=1, which
// .ci/run sets, it fails, because a test skipped in CI is a test that did not run.
package testenv

import (
	"os"
	"testing"
)

// Strict reports whether missing services fail tests instead of skipping them.
func Strict() bool { return os.Getenv("LONTARA_TEST_STRICT") == "1" }

// Missing stops the test because a service is not available. how says what to
// set or install to run it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if Strict() {
		t.Fatalf("%s not available and LONTARA_TEST_STRICT=1: %s", what, how)
	}
	t.Skipf("%s not available; to run this test: %s", what, how)
}
