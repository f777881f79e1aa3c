package competency

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// levelSpan is a verified level in a competency and until when it holds
// (zero: it does not lapse).
type levelSpan struct {
	comp  int64
	level int
	until time.Time
}

// lapses reports whether the span ends at some point.
func (s levelSpan) lapses() bool { return !s.until.IsZero() }

// RefreshLevels recomputes, in the caller's transaction, the levels person
// employeeID holds (their competency_held row) from their verified
// assessments. RecordEvidence calls it; anything that removes or changes an
// assessment row must call it too, or gap analysis reads a stale level.
func RefreshLevels(ctx context.Context, tx db.Querier, employeeID int64) error {
	// Take the person's row first: on PostgreSQL two transactions recording
	// evidence for one person at once would each read only their own new
	// assessment, and the later would overwrite the earlier's level. The
	// second now waits here, and its read below (a new statement, a new
	// snapshot) sees what the first committed.
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO competency_held (employee_id, levels, updated_at) VALUES ($1, '', $2)
		ON CONFLICT (employee_id) DO UPDATE SET updated_at = excluded.updated_at`, employeeID, now); err != nil {
		return fmt.Errorf("levels of %d: %w", employeeID, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT competency_id, level, expires_at FROM competency_assessments
		WHERE employee_id = $1 AND source <> 'self' ORDER BY competency_id`, employeeID)
	if err != nil {
		return fmt.Errorf("levels of %d: %w", employeeID, err)
	}
	var all []levelSpan
	for rows.Next() {
		var s levelSpan
		var until *time.Time
		if err := rows.Scan(&s.comp, &s.level, &until); err != nil {
			rows.Close()
			return fmt.Errorf("levels of %d: %w", employeeID, err)
		}
		if until != nil {
			s.until = until.UTC()
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("levels of %d: %w", employeeID, err)
	}
	if len(all) == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM competency_held WHERE employee_id = $1`, employeeID)
		return err
	}
	var kept []levelSpan
	for start := 0; start < len(all); {
		end := start
		for end < len(all) && all[end].comp == all[start].comp {
			end++
		}
		kept = append(kept, keptSpans(all[start:end])...)
		start = end
	}
	_, err = tx.ExecContext(ctx, `UPDATE competency_held SET levels = $2 WHERE employee_id = $1`,
		employeeID, encodeSpans(kept))
	if err != nil {
		return fmt.Errorf("store levels of %d: %w", employeeID, err)
	}
	return nil
}

// keptSpans reduces one competency's verified assessments to one span per
// level (the latest expiry; no expiry beats any) and drops a level that a
// higher one outlasts: while the higher holds, the lower decides nothing.
// The result runs from the highest level down.
func keptSpans(all []levelSpan) []levelSpan {
	var best [5]*levelSpan
	for i := range all {
		s := all[i]
		cur := best[s.level]
		if cur == nil || (cur.lapses() && (!s.lapses() || s.until.After(cur.until))) {
			best[s.level] = &s
		}
	}
	var kept []levelSpan
	var horizon time.Time // until when the levels kept so far hold
	forever := false
	for l := 4; l >= 1 && !forever; l-- {
		s := best[l]
		if s == nil || (len(kept) > 0 && s.lapses() && !s.until.After(horizon)) {
			continue
		}
		kept = append(kept, *s)
		forever, horizon = !s.lapses(), s.until
	}
	return kept
}

// encodeSpans writes spans as competency_held.levels does:
// "competency_id:level[:until]" joined by commas, until in Unix seconds.
func encodeSpans(spans []levelSpan) string {
	var b strings.Builder
	for i, s := range spans {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(s.comp, 10))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(s.level))
		if s.lapses() {
			b.WriteByte(':')
			b.WriteString(strconv.FormatInt(s.until.Unix(), 10))
		}
	}
	return b.String()
}

// decodeHeld reads a competency_held.levels value and calls fn with each
// level that still holds at now (Unix seconds). It is the inner loop of
// the city's analysis, so it parses bytes in place; a malformed entry is
// skipped rather than failing the whole city.
func decodeHeld(b []byte, now int64, fn func(comp int64, level int8)) {
	var nums [3]int64
	n, val, digits := 0, int64(0), false
	flush := func() {
		if digits && n < 3 {
			nums[n] = val
			n++
		}
		val, digits = 0, false
	}
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= '0' && b[i] <= '9' {
			val, digits = val*10+int64(b[i]-'0'), true
			continue
		}
		flush()
		if i < len(b) && b[i] == ':' {
			continue
		}
		// end of an entry
		if (n == 2 || (n == 3 && nums[2] > now)) && nums[1] >= 1 && nums[1] <= 4 {
			fn(nums[0], int8(nums[1]))
		}
		n = 0
	}
}

// heldLevels is one person's levels, decoded, for their own page: the
// level now per competency and when it lapses.
func heldLevels(levels string, now time.Time) map[int64]levelSpan {
	out := map[int64]levelSpan{}
	for _, entry := range strings.Split(levels, ",") {
		parts := strings.Split(entry, ":")
		if len(parts) < 2 {
			continue
		}
		comp, err1 := strconv.ParseInt(parts[0], 10, 64)
		level, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			continue
		}
		s := levelSpan{comp: comp, level: level}
		if len(parts) == 3 {
			u, err := strconv.ParseInt(parts[2], 10, 64)
			if err != nil {
				continue
			}
			s.until = time.Unix(u, 0).UTC()
			if !s.until.After(now) {
				continue
			}
		}
		if cur, ok := out[comp]; !ok || s.level > cur.level {
			out[comp] = s
		}
	}
	return out
}
