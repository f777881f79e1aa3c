package certificate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service issues, lists, verifies and revokes certificates.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// NewService returns the certificates service over d; dates on a
// certificate are the city's (zone).
func NewService(d *db.DB, zone *time.Location) *Service { return &Service{db: d, zone: zone} }

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

const maxReason = 500

// manageable loads an event the actor may run (policy.EventManage: its
// trainers, the trainer who made it, its agency's admin, the expert team).
func (s *Service) manageable(ctx context.Context, q db.Querier, actor *policy.Actor, eventID int64) (Event, error) {
	ev, err := findEvent(ctx, q, eventID)
	if err != nil {
		return Event{}, err
	}
	t := policy.Target{AgencyID: ev.AgencyID}
	if actor != nil && actor.AccountID != 0 {
		t.Organizer = ev.CreatedBy == actor.AccountID
		if t.Trainer, err = isTrainer(ctx, q, eventID, actor.AccountID); err != nil {
			return Event{}, err
		}
	}
	if err := policy.Check(actor, policy.EventManage, t); err != nil {
		return Event{}, err
	}
	return ev, nil
}

// Issue issues a certificate to everyone who completed a finished event
// and has none yet, in one transaction: each keeps what it states, is
// recorded as evidence of the event's competencies, and its holder is
// told. Issuing again issues only to those completed since (Issued 0 when
// there are none).
func (s *Service) Issue(ctx context.Context, actor *policy.Actor, eventID int64) (Issued, error) {
	var ids []int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		ev, err := s.manageable(ctx, tx, actor, eventID)
		if err != nil {
			return err
		}
		switch {
		case ev.CancelledAt != nil:
			return errs.New(errs.Conflict, "cert.event_cancelled")
		case ev.FinishedAt == nil:
			return errs.New(errs.Conflict, "cert.event_not_finished")
		}
		if ids, err = s.issue(ctx, tx, actor, ev); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "issue", Entity: "certificate", EntityID: eventID,
			AgencyID: ev.AgencyID, After: map[string]any{"event_id": eventID, "issued": len(ids)}})
	})
	if err != nil {
		if _, dup := s.db.Dialect.UniqueViolation(err); dup {
			return Issued{}, errs.New(errs.Conflict, "cert.issuing")
		}
		return Issued{}, err
	}
	out := Issued{Issued: len(ids), Certificates: []Certificate{}}
	if len(ids) > 0 {
		if out.Certificates, _, err = listCerts(ctx, s.db.W, listFilter{IDs: ids}, db.Page{}); err != nil {
			return Issued{}, err
		}
	}
	return out, nil
}

// issue writes the certificates of an event's uncertified completions.
func (s *Service) issue(ctx context.Context, tx *sql.Tx, actor *policy.Actor, ev Event) ([]int64, error) {
	people, err := uncertified(ctx, tx, ev.ID)
	if err != nil || len(people) == 0 {
		return nil, err
	}
	comps, compIDs, err := eventCompetencies(ctx, tx, ev.ID)
	if err != nil {
		return nil, err
	}
	if comps == nil {
		comps = []Competency{}
	}
	snapshot, err := json.Marshal(comps)
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	issuerID, issuer, err := issuerOf(ctx, tx, ev)
	if err != nil {
		return nil, err
	}
	at := now()
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		code := newCode()
		kind, salt, hash := recipient(p.Email)
		id, err := db.InsertID(ctx, tx, `INSERT INTO certificates (code, event_id, enrolment_id, employee_id,
			holder_name, event_title, event_kind, jp, starts_at, ends_at, place, competencies, issuer_agency_id,
			issuer_name, recipient_type, recipient_salt, recipient_hash, issued_by, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
			code, ev.ID, p.EnrolmentID, p.EmployeeID, p.Name, ev.Title, ev.Kind, ev.JP, ev.StartsAt, ev.EndsAt,
			ev.Place, string(snapshot), db.NullID(issuerID), issuer, kind, salt, hash, db.NullID(actorAccount(actor)), at)
		if err != nil {
			return nil, fmt.Errorf("certificates: issue to %d: %w", p.EmployeeID, err)
		}
		ids = append(ids, id)
		shown := make([]competency.Evidence, len(comps))
		for i, c := range comps {
			shown[i] = competency.Evidence{EmployeeID: p.EmployeeID, CompetencyID: compIDs[i], Level: c.Level,
				Source: competency.SourceCertificate, EvidenceKind: "certificate", EvidenceRef: code, At: p.CompletedAt}
		}
		if err := competency.RecordEvidence(ctx, tx, shown...); err != nil {
			return nil, err
		}
		if p.AccountID != 0 {
			if err := notify.Send(ctx, tx, notify.Message{AccountID: p.AccountID, Kind: "cert.issued",
				Args: []string{ev.Title}, Link: "/sertifikat"}); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

func actorAccount(a *policy.Actor) int64 {
	if a == nil {
		return 0
	}
	return a.AccountID
}

// recipient makes the Open Badges identity of a holder with a fresh salt:
// their email, hashed now; without one, type url, hashed when the assertion
// is served from their profile's absolute address (see Assertion).
func recipient(email string) (kind, salt, hash string) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	salt = hex.EncodeToString(b[:])
	identity := strings.ToLower(strings.TrimSpace(email))
	if identity == "" {
		return "url", salt, ""
	}
	return "email", salt, hashOf(identity, salt)
}

// Revoke revokes a certificate, saying why: verifying it then says it was
// revoked, its assertion says revoked, and the competency evidence it gave
// and the holder's attendance evidence of its event lapse from now. Only those who run its event may.
func (s *Service) Revoke(ctx context.Context, actor *policy.Actor, typed string, in RevokeInput) (Certificate, error) {
	reason := strings.TrimSpace(in.Reason)
	var v errs.Validation
	switch {
	case reason == "":
		v.Add("reason", "cert.reason_required")
	case utf8.RuneCountInString(reason) > maxReason:
		v.Add("reason", "cert.reason_long", maxReason)
	}
	code, ok := Normalize(typed)
	if !ok {
		return Certificate{}, errs.New(errs.NotFound, "cert.unknown")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := findByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		ev, err := s.manageable(ctx, tx, actor, c.EventID)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if c.RevokedAt != nil {
			return errs.New(errs.Conflict, "cert.revoked_already")
		}
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = $1, revoked_by = $2, revoke_reason = $3
			WHERE id = $4 AND revoked_at IS NULL`, at, db.NullID(actorAccount(actor)), reason, c.ID)
		if err != nil {
			return fmt.Errorf("certificates: revoke %s: %w", code, err)
		}
		if n, _ := res.RowsAffected(); n == 0 { // revoked by someone else a moment ago
			return errs.New(errs.Conflict, "cert.revoked_already")
		}
		// The evidence stays in the record (it happened) but no longer counts:
		// the certificate's, and the attended event's that finishing recorded
		// at the same levels (else the level would stand and the gap stay closed).
		if err := competency.LapseEvidence(ctx, tx, c.EmployeeID, at,
			competency.Ref{Source: competency.SourceCertificate, Ref: code},
			competency.Ref{Source: competency.SourceSession, Ref: strconv.FormatInt(c.EventID, 10)}); err != nil {
			return fmt.Errorf("certificates: %w", err)
		}
		if err := s.tellHolder(ctx, tx, c, "cert.revoked"); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "certificate", EntityID: c.ID,
			AgencyID: ev.AgencyID, After: map[string]string{"code": code, "reason": reason}})
	})
	if err != nil {
		return Certificate{}, err
	}
	return findByCode(ctx, s.db.W, code)
}

func (s *Service) tellHolder(ctx context.Context, tx *sql.Tx, c Certificate, kind string) error {
	var account int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE employee_id = $1`, c.EmployeeID).Scan(&account)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("certificates: holder of %s: %w", c.Code, err)
	}
	return notify.Send(ctx, tx, notify.Message{AccountID: account, Kind: kind, Args: []string{c.EventTitle},
		Link: "/sertifikat"})
}
