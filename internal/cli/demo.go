package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/demo"
)

func runDemo(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	scale := fs.String("scale", string(demo.City), "size of the data set: city (15,000 people), province (60,000) or ministry (300,000)")
	seed := fs.Int64("seed", 1, "the same seed makes the same data set")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	sc, err := demo.ParseScale(*scale)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	res, err := demo.Generate(ctx, d, sc, *seed)
	if errors.Is(err, demo.ErrNotEmpty) {
		return fmt.Errorf("%s is not empty: %w", config.Mask(c.DB), err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Generated the %s data set (seed %d) in %.1f s.\n", sc, *seed, time.Since(start).Seconds())
	printDemoResult(io.Stdout, res)
	printHistory(io.Stdout, res.History)
	return nil
}

// printHistory lists the rows of the history, table by table.
func printHistory(w io.Writer, rows map[string]int) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "Three years of history, rows per table:\n")
	for _, t := range slices.Sorted(maps.Keys(rows)) {
		fmt.Fprintf(w, "  %-26s %10d\n", t, rows[t])
	}
}

// printDemoResult tells what a demo load made and how to sign in; the
// password is printed here once and stored nowhere in clear.
func printDemoResult(w io.Writer, res demo.Result) {
	fmt.Fprintf(w, "%d agencies, %d employees with accounts, %d applications; a help desk of %d teams with %d tickets.\n",
		res.Agencies, res.Employees, res.Apps, res.Teams, res.Tickets)
	fmt.Fprintf(w, "Every demo account has the password below; sign in as the superadmin with:\n")
	fmt.Fprintf(w, "  email:    %s\n", res.SuperadminEmail)
	fmt.Fprintf(w, "  password: %s\n", res.Password)
}
