// Package cli is the lontara command: it parses the subcommand and its flags
// and hands off to the capability packages. Each command lives in a file of
// its own (serve.go, user.go, …); this file holds the table of commands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/reindex"
)

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// StdIO is the process's own standard streams.
func StdIO() IO { return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }

type command struct {
	name    string // one or two words: "serve", "user create"
	usage   string // the arguments after the flags, for --help
	summary string
	run     func(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error
}

var commands = []command{
	{"serve", "", "run the web server (with --demo: load the demo city into an empty database)", runServe},
	{"migrate", "", "create the database or bring its schema up to date (--check: say what would run)", runMigrate},
	{"reindex", "", "rebuild the search index from the tickets, articles and posts (after restoring an old backup)", runReindex},
	{"migrate-data", "", "move a city's data from its SQLite file (--from) to PostgreSQL (--to), verified per table", runMigrateData},
	{"backup", "", "write a backup of the database (--db) to a file (--to) while the city keeps serving", runBackup},
	{"restore", "", "fill a database (--db) from a backup file (--from), checked per table, all or nothing", runRestore},
	{"user create", "", "create a person with an account and a role, or add a role to an existing account", runUserCreate},
	{"user reset-password", "", "set a new password for an account and end its sessions", runUserResetPassword},
	{"token create", "", "create an API token for an account and print it (last line)", runTokenCreate},
	{"import employees", "FILE", "import or update employees from a SIMPEG export (CSV or XLSX)", runImportEmployees},
	{"demo", "", "generate a deterministic demo data set (city, province or ministry)", runDemo},
	{"config", "", "print the effective configuration, secrets masked", runConfig},
	{"version", "", "print the version", runVersion},
}

// Run runs the command named in args (without the program name) and returns
// the process exit code.
func Run(ctx context.Context, args []string, io IO) int {
	cmd, rest, ok := find(args)
	if !ok {
		if len(args) == 2 && isHelp(args[1]) { // lontara user --help
			usage(io.Stdout, args[0])
			return 0
		}
		if len(args) > 0 && !isHelp(args[0]) {
			fmt.Fprintf(io.Stderr, "lontara: unknown command %q\n\n", strings.Join(args, " "))
			usage(io.Stderr, prefix(args))
			return 2
		}
		usage(io.Stdout, prefix(args))
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	fs := flag.NewFlagSet("lontara "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: lontara %s [flags] %s\n\n%s\n\nFlags:\n", cmd.name, cmd.usage, cmd.summary)
		fs.PrintDefaults()
		envNote(fs)
	}
	err := cmd.run(ctx, io, fs, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(io.Stderr, "lontara %s: %v\n", cmd.name, err)
		return 1
	}
}

// errUsage reports bad flags or arguments; the flag package already said why.
var errUsage = errors.New("usage")

// parse parses the command's flags and returns the positional arguments.
// A flag not given on the command line is read from its environment
// variable (EnvName), so every flag of every command can come from the
// environment, as the configuration options do.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errUsage
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := os.LookupEnv(EnvName(f.Name)); ok && !given[f.Name] && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", EnvName(f.Name), e)
			}
		}
	})
	return fs.Args(), err
}

// EnvName is the environment variable of a flag: --dry-run is LONTARA_DRY_RUN.
func EnvName(flagName string) string {
	return "LONTARA_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// envNote ends a command's usage with how its flags are set in the
// environment, naming up to two of its own flags as the example.
func envNote(fs *flag.FlagSet) {
	var ex []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(ex) < 2 {
			ex = append(ex, "--"+f.Name+" as "+EnvName(f.Name))
		}
	})
	if len(ex) > 0 {
		fmt.Fprintf(fs.Output(), "\nEvery flag can also be set in the environment: %s.\n", strings.Join(ex, ", "))
	}
}

func find(args []string) (command, []string, bool) {
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

func prefix(args []string) string {
	if len(args) > 0 && !isHelp(args[0]) {
		return args[0]
	}
	return ""
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "-help" || s == "help" }

func usage(w io.Writer, group string) {
	fmt.Fprintln(w, "Lontara: the learning-organization platform for e-government.")
	fmt.Fprintln(w, "\nUsage: lontara COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		if group == "" || strings.HasPrefix(c.name, group+" ") || c.name == group {
			fmt.Fprintf(w, "  %-22s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\nRun 'lontara COMMAND --help' for a command's flags. Every flag can also be set")
	fmt.Fprintln(w, "from its environment variable (LONTARA_ADDR, LONTARA_DB, …).")
}

// openDB opens the database at dsn, creating and migrating it if it is new,
// and indexes for search the rows an upgrade past the search migration
// found (reindex.Migrate).
func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, _, err := migrate(ctx, d); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// migrate brings d's schema up to date (reindex.Migrate) and logs the
// documents it indexed.
func migrate(ctx context.Context, d *db.DB) ([]string, reindex.Counts, error) {
	applied, added, err := reindex.Migrate(ctx, d)
	if added.Total() > 0 {
		slog.Info("search: indexed the rows written before the search index", "tickets", added.Tickets,
			"articles", added.Articles, "posts", added.Posts)
	}
	return applied, added, err
}

func runMigrate(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	check := fs.Bool("check", false, "check the database and list the migrations that would run, without running them")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(c.DB); *check && !db.IsPostgres(c.DB) && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s does not exist: migrate would create it and apply every migration", c.DB)
	}
	d, err := db.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if *check {
		plan, err := d.Plan(ctx)
		if err != nil {
			return err
		}
		for _, m := range plan.Pending {
			fmt.Fprintf(io.Stdout, "would apply %s\n", m.Name)
		}
		fmt.Fprintf(io.Stdout, "database at schema version %d, %d migrations to apply (nothing was changed)\n", plan.Version, len(plan.Pending))
		return nil
	}
	applied, added, err := migrate(ctx, d)
	if err != nil {
		return err
	}
	v, err := d.Version(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		fmt.Fprintf(io.Stdout, "applied %s\n", name)
	}
	if added.Total() > 0 {
		fmt.Fprintf(io.Stdout, "indexed for search: %s\n", added)
	}
	fmt.Fprintf(io.Stdout, "database at schema version %d\n", v)
	return nil
}

func runReindex(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	if _, err := parse(fs, args); err != nil {
		return err
	}
	d, err := openDB(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	put, err := reindex.All(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "search index rebuilt: %s\n", put)
	return nil
}

func runConfig(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, config.Names()...); err != nil {
		return err
	}
	if _, err := parse(fs, args); err != nil {
		return err
	}
	config.Print(io.Stdout, &c)
	return nil
}
