package demo

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/db"
)

// The demo city's certificates. Every finished training event (the
// training demo holds them) gets its completed participants' certificates,
// issued by the expert team through the certificates service, so they are
// evidence, notified and audited as a trainer's would be. One is revoked,
// so the verification page has both answers to show.
func loadCertificates(ctx context.Context, d *db.DB, ds *dataset) error {
	people := demoPeople(ds)
	expert := people["expert"]
	if expert == nil {
		return nil
	}
	svc := certificate.NewService(d, cityZone())
	events, err := db.IDs(ctx, d.R, `SELECT id FROM events WHERE finished_at IS NOT NULL AND cancelled_at IS NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("demo: finished events: %w", err)
	}
	revoked := false
	for _, ev := range events {
		out, err := svc.Issue(ctx, expert, ev)
		if err != nil {
			return fmt.Errorf("demo: certificates of event %d: %w", ev, err)
		}
		// One certificate of the city's is revoked, so verifying shows
		// what a withdrawn one looks like.
		if !revoked && len(out.Certificates) > 1 {
			revoked = true
			last := out.Certificates[len(out.Certificates)-1]
			if _, err := svc.Revoke(ctx, expert, last.Code, certificate.RevokeInput{
				Reason: "Peserta tercatat ganda; sertifikat yang benar diterbitkan atas nama yang sama di angkatan berikutnya."}); err != nil {
				return fmt.Errorf("demo: revoke: %w", err)
			}
		}
	}
	return nil
}
