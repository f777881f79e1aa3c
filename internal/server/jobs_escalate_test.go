package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestServeRunsTheEscalationJobEveryMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		for _, j := range h.Svc.Jobs() {
			if j.Name != "helpdesk.escalate" {
				continue
			}
			if j.Every != time.Minute {
				t.Errorf("escalation runs every %v", j.Every)
			}
			if err := j.Run(context.Background(), time.Now().UTC()); err != nil {
				t.Errorf("escalation on an empty desk: %v", err)
			}
			return
		}
		t.Error("no helpdesk.escalate job")
	})
}
