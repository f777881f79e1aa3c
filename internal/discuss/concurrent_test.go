package discuss_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
)

// People marking one post helpful at the same moment all succeed, and the
// helpfulness the search index holds counts every one of them.
func TestConcurrentHelpfulReactionsAllCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, room.ID, "Tips SIKDA", "Pakai Chrome.", false)
		p := c.reply(t, c.ani, th.ID, "Bersihkan cache juga.")
		const n = 10
		people := make([]*policy.Actor, n)
		for i := range people {
			people[i] = person(t, d, c.disdik, fmt.Sprintf("Pegawai %d", i), fmt.Sprintf("p%d@makassarkota.go.id", i),
				policy.Grant{Role: policy.Employee, AgencyID: c.disdik})
		}
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for _, a := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.svc.React(ctx, a, p.ID, discuss.ReactionHelpful); err != nil {
					errc <- err
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("react: %v", err)
		}
		if got := c.count(t, `SELECT helpful FROM search_docs WHERE kind = 'post' AND doc_id = $1`, p.ID); got != n {
			t.Errorf("indexed helpfulness %d, want %d", got, n)
		}
	})
}
