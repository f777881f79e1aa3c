// Package demo fills an empty database with a demo world: the city of
// Makassar with its agencies, people, accounts and e-government
// applications (LoadCity, behind `lontara serve --demo`), and larger,
// deterministic data sets for benchmarks (Generate, behind `lontara demo`).
// It writes with plain multi-row INSERTs in one transaction rather than
// through the services, for speed; the tests hold the data to the services'
// rules (valid NIPs, unique emails, every agency staffed).
package demo

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/reindex"
	"github.com/lontara-id/lontara/internal/search"
)

// ErrNotEmpty is returned when the database already has agencies or
// accounts: the demo never mixes with real data, and loads nothing.
var ErrNotEmpty = errors.New("the database already has data; the demo loads only into an empty database (use 'lontara user reset-password' for a new password)")

// Scale names a generated data set's size.
type Scale string

// The scales: a city (about 60 agencies, 15,000 people), a province with
// several regencies (about 300 agencies, 60,000 people), and a ministry
// with its regional offices (about 300 agencies, 300,000 people).
const (
	City     Scale = "city"
	Province Scale = "province"
	Ministry Scale = "ministry"
)

// Scales lists the scales, smallest first.
var Scales = []Scale{City, Province, Ministry}

// ParseScale returns the scale named s.
func ParseScale(s string) (Scale, error) {
	for _, sc := range Scales {
		if string(sc) == s {
			return sc, nil
		}
	}
	return "", fmt.Errorf("unknown scale %q (want city, province or ministry)", s)
}

// Options tune LoadCity; the zero value loads the usual demo city.
type Options struct {
	Employees int   // how many people; 0 means about 2,000
	Seed      int64 // which people; 0 means the usual ones
}

// Result says what was loaded. Password is every demo account's password,
// generated on this run and never stored in clear.
type Result struct {
	SuperadminEmail string
	Password        string
	Agencies        int
	Employees       int
	Apps            int
	Teams, Tickets  int // the help desk's
	// History counts the rows of each table the history filled (Generate).
	History map[string]int
}

// CityEmployees is how many people the demo city has.
const CityEmployees = 2000

// LoadCity loads the demo city of Makassar into an empty database, or
// returns ErrNotEmpty and loads nothing.
func LoadCity(ctx context.Context, d *db.DB, opts Options) (Result, error) {
	n, seed := opts.Employees, opts.Seed
	if n <= 0 {
		n = CityEmployees
	}
	if seed == 0 {
		seed = 1
	}
	res, err := load(ctx, d, makassar(), n, seed, false)
	if err == nil {
		err = loadTargets(ctx, d) // the leaders' learning targets (internal/targets)
	}
	if err == nil {
		err = loadChannels(ctx, d) // the delivery admin's outbox and inbound log (internal/outbox)
	}
	return res, err
}

// Generate loads the data set of the given scale, the same for the same
// seed, into an empty database (or returns ErrNotEmpty): the world, the
// demo city's fixed activity, and three years of history sized to the
// people (loadHistory).
func Generate(ctx context.Context, d *db.DB, scale Scale, seed int64) (Result, error) {
	switch scale {
	case City:
		return load(ctx, d, makassar(), 15_000, seed, true)
	case Province:
		return load(ctx, d, province(), 60_000, seed, true)
	case Ministry:
		return load(ctx, d, ministry(), 300_000, seed, true)
	}
	return Result{}, fmt.Errorf("demo: unknown scale %q", scale)
}

// load loads world w with employees people; with history, three years of
// it, whose LO surveys stand in for the demo city's two.
func load(ctx context.Context, d *db.DB, w world, employees int, seed int64, history bool) (Result, error) {
	if err := checkEmpty(ctx, d.R); err != nil {
		return Result{}, err
	}
	password := newPassword()
	hash, err := auth.NewHasher(1).Hash(ctx, password)
	if err != nil {
		return Result{}, fmt.Errorf("demo: hash: %w", err)
	}
	ds := build(w, employees, seed)
	res := Result{SuperadminEmail: ds.Super, Password: password, Agencies: len(ds.Agencies),
		Employees: len(ds.Employees), Apps: len(ds.Apps), Teams: len(deskTeams), Tickets: demoTickets}
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkEmpty(ctx, tx); err != nil { // again under the write lock
			return err
		}
		if err := write(ctx, tx, d, ds, hash); err != nil {
			return err
		}
		return audit.Write(ctx, tx, policy.SystemActor("demo"), audit.Entry{Action: "demo_load", Entity: "demo",
			After: map[string]any{"agencies": res.Agencies, "employees": res.Employees, "apps": res.Apps, "seed": seed}})
	})
	if err != nil {
		return Result{}, err
	}
	if err := loadDiscussion(ctx, d, ds); err != nil {
		return Result{}, err
	}
	if err := loadMeetings(ctx, d, ds); err != nil {
		return Result{}, err
	}
	if err := loadCompetency(ctx, d, ds); err != nil {
		return Result{}, err
	}
	asked, err := loadGaps(ctx, d)
	if err != nil {
		return Result{}, err
	}
	res.Tickets += asked
	if err := loadTraining(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadCertificates(ctx, d, ds); err != nil {
		return Result{}, err
	}
	if err := loadDevelopment(ctx, d, ds); err != nil {
		return Result{}, err
	}
	if err := loadLeadership(ctx, d, ds); err != nil {
		return Result{}, err
	}
	if err := loadFeedback(ctx, d, ds); err != nil {
		return Result{}, err
	}
	impactTickets, err := loadImpact(ctx, d)
	if err != nil {
		return Result{}, err
	}
	res.Tickets += impactTickets
	if !history {
		if err := loadSurvey(ctx, d); err != nil {
			return Result{}, err
		}
	} else {
		if res.History, err = loadHistory(ctx, d, ds, seed); err != nil {
			return Result{}, err
		}
		res.Tickets += res.History["tickets"]
		// What the demo wrote past the services (the demo desk's tickets) is
		// indexed as the owners' hourly jobs would, so search finds everything
		// as soon as the load ends.
		if _, err := reindex.Missing(ctx, d); err != nil {
			return Result{}, err
		}
	}
	// The vocabulary of typo corrections learns every document's words now,
	// not in the server's first minutes (its job, in batches): a demo
	// corrects "aplikas" from its first search, and a benchmark on a fresh
	// copy measures searching, not learning a million documents meanwhile.
	if err := search.NewService(d).Learn(ctx, time.Now()); err != nil {
		return Result{}, fmt.Errorf("demo: vocabulary: %w", err)
	}
	return res, nil
}

func checkEmpty(ctx context.Context, q db.Querier) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM accounts)`).Scan(&n)
	if err != nil {
		return fmt.Errorf("demo: check for data: %w", err)
	}
	if n > 0 {
		return ErrNotEmpty
	}
	return nil
}

// newPassword makes a password of 20 characters from crypto/rand.Text
// (base32: no 0/O or 1/l confusion) in groups of five, about 100 bits.
func newPassword() string {
	t := rand.Text()[:20]
	return t[:5] + "-" + t[5:10] + "-" + t[10:15] + "-" + t[15:]
}
