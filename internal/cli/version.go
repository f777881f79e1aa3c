package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X github.com/lontara-id/lontara/internal/cli.Version=v1.2.3".
var Version = "dev"

// VersionString is the version with the commit it was built from, when known.
func VersionString() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func runVersion(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "lontara %s %s\n", VersionString(), runtime.Version())
	return nil
}
