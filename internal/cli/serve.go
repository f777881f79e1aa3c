package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server"
)

func runServe(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	start := time.Now()
	var c config.Config
	if err := config.Bind(fs, &c, config.Names()...); err != nil {
		return err
	}
	demo := fs.Bool("demo", false, "load the demo city of Makassar into an empty database and print the superadmin's sign-in")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := setupLogging(io.Stderr, c); err != nil {
		return err
	}
	if err := checkMail(c); err != nil {
		return err
	}
	if c.JobsEvery < 0 {
		return fmt.Errorf("--jobs-every %v: give a positive interval, or 0 for each job's own", c.JobsEvery)
	}
	tuneGC()
	if c.BaseURL != "" && strings.TrimSpace(c.TrustedProxies) == "" {
		// Sign-in throttling and the audit log go by client address.
		slog.Warn("base-url is set without trusted-proxies: behind a reverse proxy every client would share the proxy's address: set --trusted-proxies",
			"base_url", c.BaseURL)
	}
	d, err := openDB(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	// Said once at start: a database set up to lose acknowledged writes
	// on its own crash is the operator's choice, not a reason to stop.
	warnings, err := d.DurabilityWarnings(ctx)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		slog.Warn("database: "+w, "see", "README, Deployment: Durability")
	}
	if err := openReplica(ctx, d, c.DBRead, c.DBReadMaxLag); err != nil {
		return err
	}
	if *demo {
		if err := loadDemo(ctx, io.Stdout, d); err != nil {
			return err
		}
	}
	srv, svc, err := server.New(c, d)
	if err != nil {
		return err
	}
	if _, err := srv.Handler(); err != nil {
		return err
	}
	senders, err := server.Senders(c)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	slog.Info("lontara listening", "addr", "http://"+ln.Addr().String(), "db", string(d.Engine()),
		"version", VersionString(), "startup_ms", time.Since(start).Milliseconds())
	fmt.Fprintf(io.Stdout, "Lontara is running at http://%s\n", ln.Addr())
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	// The channels are known before any job writes a notification (the
	// escalation job's pages run at once).
	outbox.SetActive(slices.Collect(maps.Keys(senders))...)
	// Each tick of a job runs on one node of those sharing the database.
	runner := jobs.NewRunner(d)
	runner.Every = c.JobsEvery
	go runner.Run(ctx, svc.Jobs())
	if c.SMTPListen != "" {
		inbox := mail.NewInbox(d, svc.Desk, c.MailFrom)
		inbox.TrustedAuthServ = c.SMTPAuthServ
		stopMail, err := mail.Listen(ctx, c.SMTPListen, inbox)
		if err != nil {
			return err
		}
		defer stopMail()
	}
	// On shutdown the outbox worker finishes and records the batch it
	// holds before the database closes: a normal restart sends nothing twice.
	worker := make(chan struct{})
	go func() { outbox.NewWorker(d, senders).Run(ctx); close(worker) }()
	err = srv.Serve(ctx, ln)
	stop()
	<-worker
	return err
}

// openReplica sends the reads of dashboards and reports to the replica of
// --db-read, when one is given. A server there that is not a standby in
// recovery is accepted with a warning, not refused: after a failover the
// promoted replica is what that URL names, and refusing to start would turn
// a setting for dashboards into an outage of every node; its answers are
// still right, they only no longer spare the primary.
func openReplica(ctx context.Context, d *db.DB, dsn string, maxLag time.Duration) error {
	if dsn == "" {
		return nil
	}
	standby, err := d.OpenReplica(ctx, dsn, maxLag)
	if err != nil {
		return err
	}
	if !standby {
		slog.Warn("the read replica (--db-read) is not a standby in recovery: dashboards and reports read a server "+
			"that takes writes; is it the primary, or a promoted replica?", "db_read", config.Mask(dsn))
	}
	slog.Info("dashboards and reports read the replica", "db_read", config.Mask(dsn), "in_recovery", standby)
	return nil
}

// checkMail refuses an email setup that would half work, before anything
// listens: a listener without a relay would open tickets whose receipts
// and answers wait forever.
func checkMail(c config.Config) error {
	if c.MailFrom != "" && !strings.Contains(c.MailFrom, "@") {
		return fmt.Errorf("--mail-from %q is not an email address", c.MailFrom)
	}
	if c.SMTPListen == "" {
		return nil
	}
	if c.MailFrom == "" {
		return errors.New("--smtp-listen needs --mail-from: the listener takes mail for its domain")
	}
	if c.SMTPRelay == "" {
		return errors.New("--smtp-listen needs --smtp-relay: without it the answers to the mail taken would never leave")
	}
	return nil
}

// tuneGC trades a little memory for CPU. A request allocates its rows and
// JSON and drops them, so the live heap stays small (tens of MB) and the
// default GOGC=100 collects very often: at 400 the directory API served about
// 18% more requests in an A/B run, with RSS still far below the 150 MB
// target. The soft limit makes the collector work harder before memory
// passes 256 MiB. GOGC and GOMEMLIMIT in the environment override both.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}

// setupLogging makes slog's default logger write in the configured format and level.
func setupLogging(w io.Writer, c config.Config) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("log-level %q: use debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "json":
		slog.SetDefault(slog.New(slog.NewJSONHandler(w, opts)))
	case "text":
		slog.SetDefault(slog.New(slog.NewTextHandler(w, opts)))
	default:
		return fmt.Errorf("log-format %q: use text or json", c.LogFormat)
	}
	return nil
}

// loadDemo loads the demo city into an empty database; on a database that
// already has data it loads nothing and says so.
func loadDemo(ctx context.Context, w io.Writer, d *db.DB) error {
	res, err := demo.LoadCity(ctx, d, demo.Options{})
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintf(w, "The database already has data; the demo city was not loaded.\n"+
			"Use 'lontara user reset-password --db %s --email EMAIL' for a new password.\n", config.Mask(d.DSN))
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Loaded the demo city of Makassar:")
	printDemoResult(w, res)
	// Loading allocated far more than serving keeps; hand it back to the
	// system now rather than whenever the collector next gets to it.
	debug.FreeOSMemory()
	return nil
}
