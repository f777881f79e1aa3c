package cli

import (
	"flag"
	"io"
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
