package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lontara-id/lontara/internal/policy"
)

// Attention is one thing waiting for the signed-in person, listed on their
// home page: an announcement unread, a survey to answer, a follow-up due,
// ideas awaiting their answer. Key is an i18n key taking Count.
type Attention struct {
	Key   string
	Count int
	Href  string
}

// AttentionFunc answers what a capability has waiting for actor; nothing
// (nil) most of the time.
type AttentionFunc func(ctx context.Context, actor *policy.Actor) ([]Attention, error)

// Attention registers a capability's AttentionFunc for the home page.
func (rt *Router) Attention(f AttentionFunc) { rt.s.attention = append(rt.s.attention, f) }

// waiting gathers what every capability has waiting for the viewer. A
// capability that fails is logged and left out: the home page still opens.
func (s *Server) waiting(r *http.Request) []Attention {
	actor := Actor(r)
	var out []Attention
	for _, f := range s.attention {
		list, err := f(r.Context(), actor)
		if err != nil {
			slog.WarnContext(r.Context(), "home: attention", "err", err)
			continue
		}
		for _, a := range list {
			if a.Count > 0 {
				out = append(out, a)
			}
		}
	}
	return out
}
