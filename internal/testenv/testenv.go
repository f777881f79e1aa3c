// Package testenv decides what a test does when a real service it needs (a
// PostgreSQL server, a Chromium browser) is not there: on a developer's machine
// it skips with a line saying how to run it; under LONTARA_TEST_STRICT=1, which
// .ci/run sets, it fails, because a test skipped in CI is a test that did not run.
package testenv

import (
	"os"
	"strings"
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

// Kannel is the SMS gateway the SMS tests run against: bearerbox, smsbox
// and Kannel's fake SMSC, started by scripts/kannel-start.sh.
type Kannel struct {
	// SendSMSURL is smsbox's sendsms address with its user and password.
	SendSMSURL string
	// Dir is Kannel's state directory: fakesmsc.log has the SMS that
	// reached the fake SMSC, mo-inbox.txt takes SMS to inject.
	Dir string
	// Secret is what Kannel's sms-service presents, and MOAddr where it
	// calls (127.0.0.1:18081): a test receiving SMS listens there.
	Secret string
	MOAddr string
}

// KannelGateway returns the Kannel of LONTARA_TEST_KANNEL, or stops the
// test as Missing does.
func KannelGateway(t testing.TB) Kannel {
	t.Helper()
	url := os.Getenv("LONTARA_TEST_KANNEL")
	if url == "" {
		Missing(t, "Kannel", "LONTARA_TEST_KANNEL=$(scripts/kannel-start.sh | tail -1) go test ./...")
	}
	k := Kannel{SendSMSURL: url, Dir: os.Getenv("LONTARA_TEST_KANNEL_DIR"), Secret: os.Getenv("LONTARA_TEST_KANNEL_SECRET"),
		MOAddr: "127.0.0.1:18081"}
	if k.Dir == "" {
		k.Dir = "/tmp/lontara-services/kannel"
	}
	if k.Secret == "" {
		k.Secret = "kannel-test-secret"
	}
	return k
}

// SMTPSink returns the SMTP address and the HTTP API of the Mailpit mail
// sink of LONTARA_TEST_SMTP_SINK ("127.0.0.1:1025,http://127.0.0.1:8025"),
// or stops the test as Missing does.
func SMTPSink(t testing.TB) (smtpAddr, api string) {
	t.Helper()
	v := os.Getenv("LONTARA_TEST_SMTP_SINK")
	smtpAddr, api, ok := strings.Cut(v, ",")
	if !ok {
		Missing(t, "the Mailpit SMTP sink", "LONTARA_TEST_SMTP_SINK=$(scripts/mailpit-start.sh | tail -1) go test ./...")
	}
	return smtpAddr, api
}

// Nginx returns the nginx binary of LONTARA_TEST_NGINX, else Debian's
// /usr/sbin/nginx, or stops the test as Missing does. The tests run it
// with a configuration of their own, never the system's.
func Nginx(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("LONTARA_TEST_NGINX")
	if bin == "" {
		bin = "/usr/sbin/nginx"
	}
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		Missing(t, "nginx", "apt-get install nginx-light (or set LONTARA_TEST_NGINX=/path/to/nginx)")
	}
	return bin
}
