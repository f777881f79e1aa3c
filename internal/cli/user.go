package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// cliActor is who the audit log says made changes from the command line.
var cliActor = policy.SystemActor("cli")

// openAuth opens (creating and migrating) the database and the auth service.
func openAuth(ctx context.Context, c config.Config) (*auth.Service, *db.DB, error) {
	d, err := openDB(ctx, c.DB)
	if err != nil {
		return nil, nil, err
	}
	return auth.NewService(d, auth.NewHasher(c.HashConcurrency), org.NewService(d), c), d, nil
}

// readPassword reads one line from r: the password, without its line end.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("--password-stdin: standard input holds no password")
	}
	return line, nil
}

// passwordFrom returns the password from standard input when fromStdin,
// else a generated one (and true).
func passwordFrom(io IO, fromStdin bool) (pw string, generated bool, err error) {
	if fromStdin {
		pw, err = readPassword(io.Stdin)
		return pw, false, err
	}
	return auth.GeneratePassword(), true, nil
}

func runUserCreate(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db", "hash-concurrency"); err != nil {
		return err
	}
	var in auth.UserInput
	var role string
	fs.StringVar(&in.Email, "email", "", "the person's email, which is also the sign-in name (required)")
	fs.StringVar(&in.Name, "name", "", "the person's full name, for a new person")
	fs.StringVar(&role, "role", "", "the role: "+roleNames())
	fs.StringVar(&in.AgencyCode, "agency", "", "agency code; required for agency-scoped roles, ignored by city-wide ones"+
		" (a new city-wide person is placed in it if it exists, else in "+auth.CityAgencyCode+")")
	fs.StringVar(&in.AppSlug, "app", "", "for --role operator: the slug of the application operated")
	fs.StringVar(&in.NIP, "nip", "", "the person's 18-digit NIP (pns and pppk)")
	fs.StringVar(&in.EmploymentType, "type", "", "employment type of a new person: pns, pppk, contract or outsourced (default pns with --nip, else contract)")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (else one is generated and printed)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	in.Role = policy.Role(strings.ToLower(strings.TrimSpace(role)))
	pw, generated, err := passwordFrom(io, *stdin)
	if err != nil {
		return err
	}
	in.Password = pw
	s, d, err := openAuth(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := s.CreateUser(ctx, cliActor, in)
	if err != nil {
		return err
	}
	printUserResult(io.Stdout, in, res)
	if res.NewAccount && generated {
		fmt.Fprintf(io.Stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

func printUserResult(w io.Writer, in auth.UserInput, res auth.UserResult) {
	email := auth.NormalizeEmail(in.Email)
	if res.NewPerson {
		fmt.Fprintf(w, "created person %s (employee %d)\n", email, res.EmployeeID)
	}
	if res.NewAccount {
		fmt.Fprintf(w, "created account %d for %s\n", res.AccountID, email)
	} else if in.Password != "" {
		fmt.Fprintf(w, "account %d already existed; its password was left unchanged (use 'lontara user reset-password')\n", res.AccountID)
	}
	where := "city-wide"
	if !res.Grant.Role.CityWide() {
		where = "in agency " + in.AgencyCode
	} else if in.AgencyCode != "" {
		where += " (--agency does not scope a city-wide role)"
	}
	if res.Grant.AppID != 0 {
		where += " for application " + in.AppSlug
	}
	if res.NewGrant {
		fmt.Fprintf(w, "granted role %s %s\n", res.Grant.Role, where)
	} else {
		fmt.Fprintf(w, "account %d already holds role %s %s\n", res.AccountID, res.Grant.Role, where)
	}
}

func roleNames() string {
	names := make([]string, len(policy.Roles))
	for i, r := range policy.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func runUserResetPassword(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db", "hash-concurrency"); err != nil {
		return err
	}
	email := fs.String("email", "", "the account's email (required)")
	stdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input (else one is generated and printed)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("--email is required")
	}
	pw, generated, err := passwordFrom(io, *stdin)
	if err != nil {
		return err
	}
	s, d, err := openAuth(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := s.ResetPassword(ctx, cliActor, *email, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "password reset for %s: %d sessions ended, %d API tokens revoked\n",
		auth.NormalizeEmail(*email), res.SessionsEnded, res.TokensRevoked)
	if generated {
		fmt.Fprintf(io.Stdout, "new password (shown once): %s\n", pw)
	}
	return nil
}
