package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("LONTARA_DRY_RUN", "true")
	t.Setenv("LONTARA_EMAIL", "from-env@makassarkota.go.id")
	t.Setenv("LONTARA_AGENCY", "DINKES")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dry := fs.Bool("dry-run", false, "")
	email := fs.String("email", "", "")
	agency := fs.String("agency", "", "")
	rest, err := parse(fs, []string{"--agency", "DISDIK", "file.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if !*dry || *email != "from-env@makassarkota.go.id" {
		t.Errorf("flags not given were not read from the environment: dry-run %v, email %q", *dry, *email)
	}
	if *agency != "DISDIK" {
		t.Errorf("the command line did not win over the environment: agency %q", *agency)
	}
	if len(rest) != 1 || rest[0] != "file.csv" {
		t.Errorf("arguments: %v", rest)
	}

	t.Setenv("LONTARA_DRY_RUN", "maybe")
	fs = flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("dry-run", false, "")
	if _, err := parse(fs, nil); err == nil {
		t.Error("a malformed LONTARA_DRY_RUN was accepted")
	}
}

// TestUsageNamesTheCommandsOwnFlagsInTheEnvironment: --help's note on the
// environment gives flags the command has, and none when it has no flags.
func TestUsageNamesTheCommandsOwnFlagsInTheEnvironment(t *testing.T) {
	help := func(args ...string) string {
		var out bytes.Buffer
		if code := Run(context.Background(), append(args, "--help"), IO{Stdout: &out, Stderr: &out}); code != 0 {
			t.Fatalf("%v --help: exit %d: %s", args, code, out.String())
		}
		return out.String()
	}
	if got := help("migrate-data"); !strings.Contains(got, "environment: --from as LONTARA_FROM, --to as LONTARA_TO.") {
		t.Errorf("migrate-data --help:\n%s", got)
	}
	if got := help("version"); strings.Contains(got, "environment") {
		t.Errorf("version has no flags, yet its --help says how to set them:\n%s", got)
	}
}
