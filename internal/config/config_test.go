package config

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestBindPrecedence(t *testing.T) {
	t.Setenv("LONTARA_ADDR", "127.0.0.1:9999")
	t.Setenv("LONTARA_SESSION_TTL", "30m")
	var c Config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	if err := Bind(fs, &c, "addr", "db", "session-ttl"); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.SessionTTL != 30*time.Minute || c.DB != "lontara.db" {
		t.Fatalf("from environment: %+v", c)
	}
	if err := fs.Parse([]string{"--addr", ":1"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":1" {
		t.Errorf("flag did not override the environment: %q", c.Addr)
	}
}

func TestBindBadEnv(t *testing.T) {
	t.Setenv("LONTARA_HASH_CONCURRENCY", "many")
	var c Config
	err := Bind(flag.NewFlagSet("x", flag.ContinueOnError), &c, "hash-concurrency")
	if err == nil || !strings.Contains(err.Error(), "LONTARA_HASH_CONCURRENCY") {
		t.Fatalf("got %v", err)
	}
}

func TestPrintMasksSecrets(t *testing.T) {
	c := Default()
	c.DB = "postgres://lontara:s3cret@db.local:5432/lontara"
	var b bytes.Buffer
	Print(&b, &c)
	if strings.Contains(b.String(), "s3cret") || !strings.Contains(b.String(), "LONTARA_DB=postgres://lontara:*****@db.local:5432/lontara") {
		t.Fatalf("config output:\n%s", b.String())
	}
}
