package loindex

import "time"

// SetNow makes the service's clock read now.
func (s *Service) SetNow(now time.Time) { s.now = func() time.Time { return now } }
