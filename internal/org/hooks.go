package org

// SetAccessEndedHook makes the service call f with a person's id after a
// change that ended their access (deactivation, transfer) has committed.
// The sessions and tokens end in SQL inside the transaction; f lets the
// auth service, which org cannot import, drop what it holds in memory about
// that person, so a cached token stops working at once on this server.
// Call it before serving.
func (s *Service) SetAccessEndedHook(f func(employeeID int64)) { s.accessEnded = f }

// endedAccess tells the hook, if any, that employeeID's access has ended.
func (s *Service) endedAccess(employeeID int64) {
	if s.accessEnded != nil {
		s.accessEnded(employeeID)
	}
}
