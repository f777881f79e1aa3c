package certificate_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

// heldUntil reads a person's held levels (competency:level[:lapses], unix
// seconds; none: it does not lapse) as when each competency's level lapses.
func heldUntil(t *testing.T, d *db.DB, employeeID int64) map[string]int64 {
	t.Helper()
	var held string
	err := d.W.QueryRow(`SELECT levels FROM competency_held WHERE employee_id = $1`, employeeID).Scan(&held)
	if err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, entry := range strings.Split(held, ",") {
		parts := strings.Split(entry, ":")
		if len(parts) < 2 {
			continue
		}
		lapses := int64(math.MaxInt64)
		if len(parts) == 3 {
			if lapses, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
				t.Fatalf("held %q: %v", held, err)
			}
		}
		if lapses > out[parts[0]] {
			out[parts[0]] = lapses
		}
	}
	return out
}

func hashed(identity, salt string) string {
	sum := sha256.Sum256([]byte(identity + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

func TestRevokingTakesBackTheLevelsTheEventGave(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		// Finishing the event records attendance evidence of its competencies
		// (source session, the event's id), as training's finish does.
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			for comp, level := range map[int64]int{w.security: 2, w.webmail: 3} {
				if err := competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: w.nuraini, CompetencyID: comp,
					Level: level, Source: competency.SourceSession, EvidenceKind: "session", EvidenceRef: itoa(w.event),
					At: time.Now().UTC()}); err != nil {
					return err
				}
			}
			return competency.RefreshLevels(ctx, tx, w.nuraini)
		})
		if err != nil {
			t.Fatal(err)
		}
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		if _, err := svc.Issue(ctx, w.trainer, w.event); err != nil {
			t.Fatal(err)
		}
		mine, _, err := svc.Mine(ctx, w.nurainiActor, db.Page{})
		if err != nil || len(mine) != 1 {
			t.Fatalf("Nur'aini's: %v %v", mine, err)
		}
		before := heldUntil(t, d, w.nuraini)
		if len(before) != 2 {
			t.Fatalf("before revoking, held %v, want both competencies", before)
		}
		if _, err := svc.Revoke(ctx, w.trainer, mine[0].Code, certificate.RevokeInput{Reason: "Data peserta keliru"}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().Unix()
		for comp, lapses := range heldUntil(t, d, w.nuraini) {
			if lapses > now {
				t.Errorf("competency %s still held until %d after the revocation, want it lapsed (the gap open again)", comp, lapses)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE employee_id = $1 AND source = 'session'
			AND evidence_ref = $2 AND expires_at <= $3`, w.nuraini, itoa(w.event), time.Now().UTC()); n != 2 {
			t.Errorf("%d session evidence rows lapsed, want 2", n)
		}
	})
}

func TestVerificationAndTheBadgeKeepTheReasonPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		mine, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		code := mine.Certificates[0].Code
		const reason = "Terbukti menitipkan absen kepada rekan"
		if _, err := svc.Revoke(ctx, w.trainer, code, certificate.RevokeInput{Reason: reason}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Verify(ctx, code)
		if err != nil || v.Valid || v.RevokedAt == nil {
			t.Fatalf("verification %+v, %v", v, err)
		}
		a, _, err := svc.Assertion(ctx, code, certificate.Site{Base: "https://lontara.makassarkota.go.id", Lang: "en"})
		if err != nil || a.RevocationReason != "Revoked by its issuer." {
			t.Errorf("revoked assertion %+v, %v", a, err)
		}
		for name, doc := range map[string]any{"verification": v, "assertion": a} {
			if b, _ := json.Marshal(doc); strings.Contains(string(b), reason) {
				t.Errorf("the %s tells the reason: %s", name, b)
			}
		}
		// Those who run the event and the holder still see it.
		c, err := svc.Get(ctx, w.expert, code)
		if err != nil || c.RevokeReason != reason {
			t.Errorf("certificate for the expert team: %q, %v", c.RevokeReason, err)
		}
	})
}

func TestTheBadgeOfAHolderWithoutEmailNamesTheirProfile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		out, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		var andi string
		for _, c := range out.Certificates {
			if c.EmployeeID == w.andi {
				andi = c.Code
			}
		}
		site := certificate.Site{Base: "https://lontara.makassarkota.go.id/", Configured: true}
		a, _, err := svc.Assertion(ctx, andi, site)
		if err != nil {
			t.Fatal(err)
		}
		want := hashed("https://lontara.makassarkota.go.id/pegawai/"+itoa(w.andi), a.Recipient.Salt)
		if a.Recipient.Type != "url" || !a.Recipient.Hashed || a.Recipient.Identity != want {
			t.Errorf("recipient %+v, want the hashed profile %s", a.Recipient, want)
		}
		again, _, _ := svc.Assertion(ctx, andi, site)
		if again.Recipient.Identity != a.Recipient.Identity {
			t.Errorf("the identity changed between fetches: %s, %s", a.Recipient.Identity, again.Recipient.Identity)
		}
		// Without a configured public URL the address depends on who asks:
		// no stable identity, so no assertion, and a clear answer why.
		_, _, err = svc.Assertion(ctx, andi, certificate.Site{Base: "http://10.0.0.5:8080"})
		if e := errs.As(err); e == nil || e.Code != errs.NotFound || e.Key != "cert.badge_no_recipient" {
			t.Errorf("without a base URL: %v, want NotFound cert.badge_no_recipient", err)
		}
	})
}
