// Command lontara is the Lontara platform: the web server and its
// administration commands in one binary. See `lontara --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lontara-id/lontara/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.StdIO())
	stop()
	os.Exit(code)
}
