package training

import (
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// The rosters, approvals and attendance lists are paged by position rather
// than by key: they follow an order of several mixed keys (seat before
// waitlist, the queue's times, names) and hold at most an event's people,
// so an offset costs little and keeps their order exact.

// pageOffset reads the position a page starts at from its cursor.
func pageOffset(p db.Page) (int, error) {
	if p.After == "" {
		return 0, nil
	}
	var off int
	if err := db.ParseCursor(p.After, &off); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, errs.FieldErr("cursor", "cursor")
	}
	return off, nil
}

// pageOf trims list, fetched with one row more than the page's size from
// position off, to the page, and returns the cursor of the next ("" if
// none).
func pageOf[T any](list []T, p db.Page, off int) ([]T, string) {
	if len(list) <= p.Size() {
		return list, ""
	}
	return list[:p.Size()], db.Cursor(off + p.Size())
}
