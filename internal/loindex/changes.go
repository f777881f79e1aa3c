package loindex

import "github.com/lontara-id/lontara/internal/ledger"

// TopicKept is the change event of a period the roll-up has kept (key: its
// label): every node answers the kept figures from then on, not the ones
// it computed itself before.
const TopicKept = "loindex.kept"

// Topics are the changes that make the indexes a node keeps in memory
// wrong: an input's target set anew (the year's JP target), a period kept.
// The running period's figures also age out on their own (LiveFor); a
// closed period's are kept until one of these comes.
var Topics = []string{ledger.TopicTarget, TopicKept}

// FollowChanges has the service drop the indexes it keeps when one of
// Topics comes from any node, and when events may have been missed. The
// server calls it before serving.
func (s *Service) FollowChanges() {
	s.db.Changes.Subscribe(Topics, func(string, string) { s.forget() }, s.forget)
}

// forget drops every kept index; a computation under way is still
// answered to whoever waits for it, but not kept.
func (s *Service) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.cache)
	for _, f := range s.flights {
		f.stale = true
	}
}
