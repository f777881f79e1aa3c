package transfer

import (
	"fmt"
	"io"
	"time"
)

// progress writes what a long command is doing to the operator's terminal:
// each step with its time, and a big table's rows every few seconds.
type progress struct {
	w     io.Writer // nil: say nothing
	since time.Time // when the current step began
}

// phase tells how long the step that just ended took.
func (p *progress) phase(what string) {
	if p.w != nil {
		fmt.Fprintf(p.w, "%s in %.1f s\n", what, time.Since(p.since).Seconds())
	}
	p.since = time.Now()
}

// rows returns what to call after each row of a table of total rows.
func (p *progress) rows(table string, total int64) func(n int64) {
	if p.w == nil {
		return nil
	}
	last := time.Now()
	return func(n int64) {
		if n%4096 == 0 && time.Since(last) > 2*time.Second {
			fmt.Fprintf(p.w, "%s: %d of %d rows\n", table, n, total)
			last = time.Now()
		}
	}
}
