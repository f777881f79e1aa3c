package cli

import (
	"context"
	"errors"
	"flag"
)

func runUserCreate(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	return errors.New("not implemented yet")
}

func runUserResetPassword(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	return errors.New("not implemented yet")
}
