package helpdesk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// maxComment bounds a rating's comment.
const maxComment = 2000

// Rating is the reporter's satisfaction with how a ticket was handled.
type Rating struct {
	Number    string    `json:"number"`
	Score     int       `json:"score"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
}

// RatingInput rates a ticket: Token is the one-time rating link's secret,
// which someone without an account (or not signed in) rates with; the
// signed-in reporter may leave it empty.
type RatingInput struct {
	Token   string `json:"token,omitempty"`
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// hashToken is how rating links are stored: only their SHA-256, as for API
// tokens, so a copy of the database cannot rate tickets.
func hashToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// IssueRatingToken makes the one-time rating link's secret for a resolved
// or closed ticket and returns it; only its hash is kept, so it is shown
// once. A new link replaces an unused one. The links are made on request
// (by the help desk for a reporter without an account, by the reporter, or
// from the status page: RatingTokenByStatusLink) rather than when the
// ticket is resolved: no channel carries them to the reporter yet, and a
// secret made and forgotten at resolution could never be shown again. The
// channels issue (SMS, email) will call this when a ticket is resolved.
func (s *Service) IssueRatingToken(ctx context.Context, actor *policy.Actor, number string) (string, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return "", err
	}
	token := newSecret()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !isReporter(actor, t) {
			if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
				return err
			}
		}
		return storeRatingToken(ctx, tx, actor, t, token)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// newSecret is a link's secret: 32 random bytes, URL-safe.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// storeRatingToken keeps the hash of a rateable ticket's new rating link
// in place of an unused one, audited as made by actor.
func storeRatingToken(ctx context.Context, tx *sql.Tx, actor *policy.Actor, t Ticket, token string) error {
	if err := rateable(ctx, tx, t); err != nil {
		return err
	}
	// A reporter with an account rates on their ticket's page; a link made
	// for them (by the help desk, or through a status link the help desk
	// made) could only be used by the help desk itself.
	if t.ReporterID != nil && !isReporter(actor, t) {
		return errs.New(errs.Conflict, "rating.link_account")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ticket_rating_tokens (ticket_id, token_hash, created_at, used_at)
		VALUES ($1, $2, $3, NULL) ON CONFLICT (ticket_id) DO UPDATE
		SET token_hash = excluded.token_hash, created_at = excluded.created_at, used_at = NULL`,
		t.ID, hashToken(token), now())
	if err != nil {
		return fmt.Errorf("helpdesk: rating link: %w", err)
	}
	return audit.Write(ctx, tx, actor, audit.Entry{Action: "rating_link", Entity: "ticket", EntityID: t.ID,
		AgencyID: deref(t.AgencyID)})
}

// RateTicket records the reporter's rating of a resolved or closed ticket,
// once. With a token, whoever holds the one-time link rates (and the link
// is used up); without, only the signed-in reporter may. A score outside
// 1–5 is refused on the field; a used link or a rated ticket is a Conflict.
func (s *Service) RateTicket(ctx context.Context, actor *policy.Actor, number string, in RatingInput) (Rating, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Rating{}, err
	}
	in.Comment, in.Token = strings.TrimSpace(in.Comment), strings.TrimSpace(in.Token)
	var v errs.Validation
	if in.Score < 1 || in.Score > 5 {
		v.Add("score", "rating.score")
	}
	text(&v, "comment", in.Comment, maxComment, false)
	if err := v.Err(); err != nil {
		return Rating{}, err
	}
	r := Rating{Number: Number(id), Score: in.Score, Comment: in.Comment, CreatedAt: now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.rater(ctx, tx, actor, id, in.Token)
		if err != nil {
			return err
		}
		if err := rateable(ctx, tx, t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_ratings (ticket_id, score, comment, account_id, created_at)
			VALUES ($1, $2, $3, $4, $5)`, t.ID, r.Score, r.Comment, accountOf(actor), r.CreatedAt)
		if _, dup := s.db.Dialect.UniqueViolation(err); dup {
			return errs.New(errs.Conflict, "rating.done")
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE ticket_rating_tokens SET used_at = $1 WHERE ticket_id = $2`,
				r.CreatedAt, t.ID)
		}
		if err != nil {
			return fmt.Errorf("helpdesk: rate: %w", err)
		}
		ev := []Event{{Actor: raterName(actor, t), Kind: "rating", New: strconv.Itoa(r.Score), At: r.CreatedAt}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "rate", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID), After: r})
	})
	if err != nil {
		return Rating{}, err
	}
	return r, nil
}

// rater loads the ticket being rated and checks who rates it: the holder of
// an unused link, or else the signed-in reporter.
func (s *Service) rater(ctx context.Context, tx *sql.Tx, actor *policy.Actor, id int64, token string) (Ticket, error) {
	if token == "" {
		if actor == nil {
			return Ticket{}, errs.New(errs.Unauthorized, "unauthorized")
		}
		t, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return Ticket{}, err
		}
		if !isReporter(actor, t) {
			return Ticket{}, errs.New(errs.Forbidden, "rating.reporter_only")
		}
		return t, nil
	}
	var used sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT used_at FROM ticket_rating_tokens WHERE ticket_id = $1 AND token_hash = $2`,
		id, hashToken(token)).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, errs.FieldErr("token", "rating.token")
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("helpdesk: rating link: %w", err)
	}
	if used.Valid {
		return Ticket{}, errs.New(errs.Conflict, "rating.used")
	}
	t, err := findTicket(ctx, tx, id)
	if err != nil {
		return Ticket{}, err
	}
	// The help desk does not grade its own work, even holding a link.
	if actor != nil && policy.Can(actor, policy.TicketWork, target(t)) {
		return Ticket{}, errs.New(errs.Forbidden, "rating.desk")
	}
	return t, nil
}

// rateable refuses a ticket that is not yet resolved, was merged into
// another (that one is rated) or is already rated.
func rateable(ctx context.Context, q db.Querier, t Ticket) error {
	if t.Status != StatusResolved && t.Status != StatusClosed {
		return errs.New(errs.Conflict, "rating.not_resolved")
	}
	if into, merged, err := duplicateOf(ctx, q, t.ID); err != nil {
		return err
	} else if merged {
		return errs.New(errs.Conflict, "rating.merged", Number(into))
	}
	if _, ok, err := ratingOf(ctx, q, t.ID); err != nil {
		return err
	} else if ok {
		return errs.New(errs.Conflict, "rating.done")
	}
	return nil
}

// ratingOf reads a ticket's rating, if it has one.
func ratingOf(ctx context.Context, q db.Querier, ticketID int64) (Rating, bool, error) {
	r := Rating{Number: Number(ticketID)}
	err := q.QueryRowContext(ctx, `SELECT score, comment, created_at FROM ticket_ratings WHERE ticket_id = $1`,
		ticketID).Scan(&r.Score, &r.Comment, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Rating{}, false, nil
	}
	if err != nil {
		return Rating{}, false, fmt.Errorf("helpdesk: rating: %w", err)
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, true, nil
}

func isReporter(actor *policy.Actor, t Ticket) bool {
	return actor != nil && actor.AccountID != 0 && t.ReporterID != nil && *t.ReporterID == actor.AccountID
}

// raterName is who the history says rated: the signed-in person, else the
// reporter the link was for.
func raterName(actor *policy.Actor, t Ticket) string {
	if actor != nil {
		return authorName(actor)
	}
	if t.ReporterName != "" {
		return t.ReporterName
	}
	return t.ContactName
}
