package certificate_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestIssuingSnapshotsTheCertificateRecordsEvidenceAndIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)

		out, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		if out.Issued != 2 || len(out.Certificates) != 2 {
			t.Fatalf("issued %d (%d listed), want 2", out.Issued, len(out.Certificates))
		}
		byHolder := map[string]certificate.Certificate{}
		for _, c := range out.Certificates {
			byHolder[c.HolderName] = c
		}
		nur, andi := byHolder["Nur'aini"], byHolder["Dr. Andi Dottoro'ta, S.Kom."]
		if nur.Code == "" || andi.Code == "" {
			t.Fatalf("holders are %v", byHolder)
		}
		if _, ok := certificate.Normalize(nur.DisplayCode); !ok || nur.Status != certificate.StatusValid {
			t.Errorf("code %s status %s", nur.DisplayCode, nur.Status)
		}
		if nur.EventTitle != "Bimtek Keamanan Informasi & Webmail" || nur.JP != 16 || nur.EventKind != "bimtek" ||
			nur.Place != "Ruang Rapat Kominfo" || nur.Issuer != "Dinas Komunikasi dan Informatika" {
			t.Errorf("certificate states %+v", nur)
		}
		if len(nur.Competencies) != 2 || nur.Competencies[0].Code != "keamanan-informasi" || nur.Competencies[0].Level != 2 ||
			nur.Competencies[1].Level != 3 {
			t.Errorf("competencies %+v", nur.Competencies)
		}
		// Each certificate is evidence of each competency, by its code; the
		// security one lapses with the competency's validity.
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE source = 'certificate'
			AND evidence_kind = 'certificate' AND evidence_ref = $1 AND employee_id = $2`, nur.Code, w.nuraini); n != 2 {
			t.Errorf("%d evidence rows for Nur'aini, want 2", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE evidence_ref = $1 AND competency_id = $2
			AND level = 2 AND expires_at IS NOT NULL`, nur.Code, w.security); n != 1 {
			t.Errorf("security evidence with expiry: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = 'cert.issued'`,
			w.nurainiActor.AccountID); n != 1 {
			t.Errorf("%d notifications to Nur'aini", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'issue' AND entity = 'certificate'`); n != 1 {
			t.Errorf("%d audit entries", n)
		}

		// Again: nothing new. A later completion gets its own.
		again, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil || again.Issued != 0 || len(again.Certificates) != 0 {
			t.Fatalf("issuing again: %+v, %v", again, err)
		}
		exec(t, d, `UPDATE enrolments SET status = 'completed', completed_at = $1 WHERE id = $2`, time.Now().UTC(), w.waitingEnrol)
		later, err := svc.Issue(ctx, w.expert, w.event)
		if err != nil || later.Issued != 1 || later.Certificates[0].HolderName != "Masih Menunggu" {
			t.Fatalf("issuing a later completion: %+v, %v", later, err)
		}

		// A certificate never changes: renaming the event or the person
		// leaves it as it was issued.
		exec(t, d, `UPDATE events SET title = 'Judul Baru', jp = 99 WHERE id = $1`, w.event)
		exec(t, d, `UPDATE employees SET name = 'Nama Baru' WHERE id = $1`, w.nuraini)
		v, err := svc.Verify(ctx, strings.ToLower(nur.DisplayCode))
		if err != nil {
			t.Fatal(err)
		}
		if !v.Valid || v.HolderName != "Nur'aini" || v.EventTitle != "Bimtek Keamanan Informasi & Webmail" || v.JP != 16 {
			t.Errorf("verification %+v", v)
		}
		mine, _, err := svc.Mine(ctx, w.nurainiActor, db.Page{})
		if err != nil || len(mine) != 1 || mine[0].Code != nur.Code {
			t.Errorf("Nur'aini's certificates: %+v, %v", mine, err)
		}
	})
}

func TestIssuingIsRefusedBeforeTheEndAndToOthers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		svc := certificate.NewService(d, time.UTC)
		if _, err := svc.Issue(ctx, w.trainer, w.event); !errs.Is(err, errs.Conflict) {
			t.Errorf("unfinished event: %v, want Conflict", err)
		}
		w.finish(t)
		for name, actor := range map[string]*policy.Actor{"a trainer not of this event": w.outsider,
			"another agency's admin": w.otherAdmin, "a participant": w.nurainiActor} {
			if _, err := svc.Issue(ctx, actor, w.event); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: %v, want Forbidden", name, err)
			}
		}
		if _, err := svc.Issue(ctx, w.trainer, w.event+1000); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown event: %v, want NotFound", err)
		}
		exec(t, d, `UPDATE events SET cancelled_at = $1 WHERE id = $2`, time.Now().UTC(), w.event)
		if _, err := svc.Issue(ctx, w.expert, w.event); !errs.Is(err, errs.Conflict) {
			t.Errorf("cancelled event: %v, want Conflict", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates`); n != 0 {
			t.Errorf("%d certificates written", n)
		}
	})
}

func TestRevokingSaysWhyLapsesTheEvidenceAndShowsInVerification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		out, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		code := out.Certificates[0].Code
		if _, err := svc.Revoke(ctx, w.nurainiActor, code, certificate.RevokeInput{Reason: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a holder revoking: %v, want Forbidden", err)
		}
		if _, err := svc.Revoke(ctx, w.trainer, code, certificate.RevokeInput{Reason: "  "}); !errs.Is(err, errs.Invalid) {
			t.Errorf("no reason: %v, want Invalid", err)
		}
		c, err := svc.Revoke(ctx, w.trainer, code, certificate.RevokeInput{Reason: "Tidak hadir pada sesi kedua"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != certificate.StatusRevoked || c.RevokedAt == nil || c.RevokeReason != "Tidak hadir pada sesi kedua" {
			t.Errorf("revoked certificate %+v", c)
		}
		v, err := svc.Verify(ctx, code)
		if err != nil || v.Valid || v.Status != certificate.StatusRevoked {
			t.Errorf("verification of a revoked certificate: %+v, %v", v, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE evidence_ref = $1
			AND expires_at <= $2`, code, time.Now().UTC()); n != 2 {
			t.Errorf("%d evidence rows lapsed, want 2", n)
		}
		// Gap analysis reads the levels held (competency:level:lapses, unix
		// seconds), where what only the revoked certificate showed has lapsed.
		var held string
		if err := d.W.QueryRow(`SELECT levels FROM competency_held WHERE employee_id = $1`,
			out.Certificates[0].EmployeeID).Scan(&held); err != nil {
			t.Fatal(err)
		}
		for _, entry := range strings.Split(held, ",") {
			parts := strings.Split(entry, ":")
			if lapses, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); len(parts) != 3 || err != nil || lapses > time.Now().Unix() {
				t.Errorf("level held after the revocation: %q of %q, want it lapsed", entry, held)
			}
		}
		if _, err := svc.Revoke(ctx, w.trainer, code, certificate.RevokeInput{Reason: "lagi"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("revoking twice: %v, want Conflict", err)
		}
		a, revoked, err := svc.Assertion(ctx, code, certificate.Site{Base: "https://lontara.makassarkota.go.id", Lang: "id"})
		if err != nil || !revoked || !a.Revoked || a.RevocationReason != "Dicabut oleh penerbitnya." || a.Recipient != nil {
			t.Errorf("revoked assertion %+v, %v, %v", a, revoked, err)
		}
	})
}

func TestTheCertificateIsSeenByItsHolderAndThoseWhoSeeTheirRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		if _, err := svc.Issue(ctx, w.trainer, w.event); err != nil {
			t.Fatal(err)
		}
		mine, _, err := svc.Mine(ctx, w.nurainiActor, db.Page{})
		if err != nil || len(mine) != 1 {
			t.Fatalf("Nur'aini's: %v %v", mine, err)
		}
		code := mine[0].Code
		head := &policy.Actor{AccountID: 9999, EmployeeID: 9999, Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: w.dinkes}}}
		for name, actor := range map[string]*policy.Actor{"holder": w.nurainiActor, "direct supervisor": w.boss,
			"the holder's agency head": head, "the expert team": w.expert} {
			if _, err := svc.Get(ctx, actor, code); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, actor := range map[string]*policy.Actor{"another participant": w.andiActor,
			"another agency's admin": w.admin, "the trainer": w.trainer} {
			// Not found, as an unknown code: a refusal would confirm it exists.
			if _, err := svc.Get(ctx, actor, code); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s: %v, want NotFound", name, err)
			}
		}
		c, _ := svc.Get(ctx, w.nurainiActor, code)
		doc := svc.PDF(c, "id", "https://lontara.makassarkota.go.id")
		for _, want := range []string{"%PDF-1.4", "%%EOF"} {
			if !bytes.Contains(doc, []byte(want)) {
				t.Errorf("PDF lacks %s", want)
			}
		}
	})
}

func TestVerifyingTellsAForgedCodeFromAnUnknownOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		out, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		code := out.Certificates[0].Code
		// One symbol changed: the check catches it.
		forged := code[:3] + map[bool]string{true: "1", false: "2"}[code[3] != '1'] + code[4:]
		if _, err := svc.Verify(ctx, forged); errs.As(err) == nil || errs.As(err).Key != "cert.malformed" {
			t.Errorf("forged code: %v, want cert.malformed", err)
		}
		unknown := strings.Repeat("0", 12) // well formed (its check is 0) but never issued
		if _, err := svc.Verify(ctx, unknown); errs.As(err) == nil || errs.As(err).Key != "cert.unknown" {
			t.Errorf("unknown code: %v, want cert.unknown", err)
		}
		// The assertion hashes the holder's email (lower case) with its salt.
		var nur certificate.Certificate
		for _, c := range out.Certificates {
			if c.EmployeeID == w.nuraini {
				nur = c
			}
		}
		a, revoked, err := svc.Assertion(ctx, nur.Code, certificate.Site{Base: "https://lontara.makassarkota.go.id/"})
		if err != nil || revoked {
			t.Fatal(err, revoked)
		}
		sum := sha256.Sum256([]byte("nuraini@makassarkota.go.id" + a.Recipient.Salt))
		if a.Recipient.Type != "email" || !a.Recipient.Hashed || a.Recipient.Identity != "sha256$"+hex.EncodeToString(sum[:]) {
			t.Errorf("recipient %+v", a.Recipient)
		}
		if a.ID != "https://lontara.makassarkota.go.id/badges/assertions/"+nur.Code || a.Verification.Type != "hosted" ||
			a.Badge != "https://lontara.makassarkota.go.id/badges/classes/"+itoa(w.event) {
			t.Errorf("assertion %+v", a)
		}
		// Its class aligns with the competencies' own pages, found by id.
		class, err := svc.BadgeClass(ctx, w.event, "https://lontara.makassarkota.go.id/", "id")
		if err != nil || len(class.Alignment) != 2 {
			t.Fatalf("badge class %+v, %v", class, err)
		}
		for _, al := range class.Alignment {
			var id int64
			if err := d.R.QueryRow(`SELECT id FROM competencies WHERE code = $1`, al.TargetCode).Scan(&id); err != nil ||
				al.TargetURL != "https://lontara.makassarkota.go.id/kompetensi/"+itoa(id) {
				t.Errorf("alignment %+v (competency %d, %v)", al, id, err)
			}
		}
	})
}

func TestIssuingAtOnceFromManyPlacesIssuesEachCertificateOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		errc := make(chan error, 6)
		for range 6 {
			go func() {
				_, err := svc.Issue(ctx, w.trainer, w.event)
				errc <- err
			}()
		}
		for range 6 {
			if err := <-errc; err != nil && !errs.Is(err, errs.Conflict) {
				t.Errorf("concurrent issue: %v", err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates WHERE event_id = $1`, w.event); n != 2 {
			t.Errorf("%d certificates, want 2", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE source = 'certificate'`); n != 4 {
			t.Errorf("%d evidence rows, want 4", n)
		}
	})
}

// TestRevokingAtOnceRevokesOnce: two who run the event revoke the same
// certificate at the same moment; one revokes it, the other is told it
// already was, and the holder hears of it once.
func TestRevokingAtOnceRevokesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		w.finish(t)
		svc := certificate.NewService(d, time.UTC)
		out, err := svc.Issue(ctx, w.trainer, w.event)
		if err != nil {
			t.Fatal(err)
		}
		code := out.Certificates[0].Code
		results := make(chan error, 4)
		for range 4 {
			go func() {
				_, err := svc.Revoke(ctx, w.trainer, code, certificate.RevokeInput{Reason: "Tercatat ganda"})
				results <- err
			}()
		}
		revoked := 0
		for range 4 {
			switch err := <-results; {
			case err == nil:
				revoked++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("a revocation at the same moment: %v, want Conflict", err)
			}
		}
		if revoked != 1 {
			t.Errorf("%d revocations succeeded, want 1", revoked)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE kind = 'cert.revoked'`); n != 1 {
			t.Errorf("the holder was told %d times, want once", n)
		}
	})
}
