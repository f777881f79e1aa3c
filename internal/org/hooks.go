package org

import (
	"context"

	"github.com/lontara-id/lontara/internal/db"
)

// PersonChangedHook is called inside the transaction that changes a person
// in a way what others keep about them must not outlive: their access ended
// (deactivation, transfer) or their name or address changed (an edit, an
// import; employeeID 0: anyone the import touched). An error rolls the
// change back.
type PersonChangedHook func(ctx context.Context, tx db.Querier, employeeID int64) error

// SetPersonChangedHook makes the service call f on such changes. The
// sessions and tokens end in SQL inside the transaction; f lets the auth
// service, which org cannot import, have every node drop the tokens it
// holds in memory for that person once the change commits. Call it before
// serving.
func (s *Service) SetPersonChangedHook(f PersonChangedHook) { s.personChanged = f }

// changedPerson tells the hook, if any, that employeeID changed in tx.
func (s *Service) changedPerson(ctx context.Context, tx db.Querier, employeeID int64) error {
	if s.personChanged == nil {
		return nil
	}
	return s.personChanged(ctx, tx, employeeID)
}
