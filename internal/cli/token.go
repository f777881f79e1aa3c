package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
)

// runTokenCreate prints what it made on standard error and the token alone
// on standard output, so the token is the last line either way and
// TOKEN=$(lontara token create …) captures just the token.
func runTokenCreate(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db", "hash-concurrency"); err != nil {
		return err
	}
	email := fs.String("email", "", "the email of the account the token acts for (required)")
	name := fs.String("name", "cli", "a name to tell the token apart")
	expires := fs.Duration("expires", 0, "lifetime, e.g. 720h (0: does not expire)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("--email is required")
	}
	if *expires < 0 {
		return errors.New("--expires must not be negative")
	}
	s, d, err := openAuth(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	id, err := s.AccountIDByEmail(ctx, *email)
	if err != nil {
		return err
	}
	var exp *time.Time
	if *expires > 0 {
		t := time.Now().UTC().Add(*expires)
		exp = &t
	}
	plain, tok, err := s.CreateToken(ctx, cliActor, id, *name, exp)
	if err != nil {
		return err
	}
	until := "does not expire"
	if exp != nil {
		until = "expires " + exp.Format(time.RFC3339)
	}
	fmt.Fprintf(io.Stderr, "created API token %d %q for %s (%s); it is shown once:\n",
		tok.ID, tok.Name, auth.NormalizeEmail(*email), until)
	fmt.Fprintln(io.Stdout, plain)
	return nil
}
