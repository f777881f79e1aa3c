package cli

import (
	"context"
	"errors"
	"flag"
)

func runImportEmployees(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	return errors.New("not implemented yet")
}
