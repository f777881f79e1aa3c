package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Answer is the value given to one item.
type Answer struct {
	ItemID int64 `json:"item_id"`
	Value  int   `json:"value"`
}

// invitation is what answering needs of an invitation: never who it was.
type invitation struct {
	id, campaign, agency, instrument int64
	answered                         bool
	status                           string
	closes                           time.Time
}

const invitationCols = `SELECT v.id, v.campaign_id, v.agency_id, v.answered, c.instrument_id, c.status, c.closes_at
	FROM survey_invitations v JOIN survey_campaigns c ON c.id = v.campaign_id `

func scanInvitation(row *sql.Row) (invitation, error) {
	var v invitation
	err := row.Scan(&v.id, &v.campaign, &v.agency, &v.answered, &v.instrument, &v.status, &v.closes)
	return v, err
}

// Submit stores the answers given with a one-time token for campaign (0:
// whichever campaign the token is of). Every item of the instrument must
// have one value on its scale, or nothing is stored. The invitation is
// marked answered in the same transaction; the answers wait, with nothing
// of who gave them, for the job that moves them into the responses (see
// movePending). Neither an audit record nor a log line is written. On
// PostgreSQL the transaction share-locks the campaign (a close waits for
// it) and rewrites the agency's answered invitations (see lockGroup).
func (s *Service) Submit(ctx context.Context, token string, campaign int64, answers []Answer) error {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return errs.New(errs.NotFound, "survey.token_unknown")
	}
	return s.submit(ctx, func(tx *sql.Tx) (invitation, error) {
		v, err := scanInvitation(tx.QueryRowContext(ctx, invitationCols+`WHERE v.token_hash = $1`, hashToken(token)))
		if err == nil && campaign != 0 && v.campaign != campaign {
			err = sql.ErrNoRows
		}
		return v, err
	}, answers)
}

// SubmitMine stores the signed-in person's answers to their own invitation
// of campaign, as Submit does.
func (s *Service) SubmitMine(ctx context.Context, actor *policy.Actor, campaign int64, answers []Answer) error {
	if actor == nil || actor.EmployeeID == 0 {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return s.submit(ctx, func(tx *sql.Tx) (invitation, error) {
		return scanInvitation(tx.QueryRowContext(ctx, invitationCols+`WHERE v.campaign_id = $1 AND v.employee_id = $2`,
			campaign, actor.EmployeeID))
	}, answers)
}

func (s *Service) submit(ctx context.Context, find func(*sql.Tx) (invitation, error), answers []Answer) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		v, err := find(tx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "survey.token_unknown")
		}
		if err != nil {
			return fmt.Errorf("survey: invitation: %w", err)
		}
		if s.db.Engine() == db.Postgres {
			// Share-lock the campaign: a close (an UPDATE of this row) waits
			// for answers in flight, and answers after it see it closed, so
			// no answer is held for a campaign whose results show.
			if err := tx.QueryRowContext(ctx, `SELECT status, closes_at FROM survey_campaigns WHERE id = $1 FOR SHARE`,
				v.campaign).Scan(&v.status, &v.closes); err != nil {
				return fmt.Errorf("survey: campaign: %w", err)
			}
			if err := lockGroup(ctx, tx, v.campaign, v.agency); err != nil {
				return err
			}
		}
		switch {
		case v.status != Open || !time.Now().Before(v.closes):
			return errs.New(errs.Conflict, "survey.closed")
		case v.answered:
			return errs.New(errs.Conflict, "survey.answered")
		}
		ins, err := instrumentByID(ctx, tx, v.instrument)
		if err != nil {
			return err
		}
		packed, err := pack(ins, answers)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE survey_invitations SET answered = TRUE WHERE id = $1 AND answered = FALSE`, v.id)
		if err != nil {
			return fmt.Errorf("survey: mark answered: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "survey.answered") // a second submission raced this one
		}
		if s.db.Engine() == db.Postgres {
			// The held answers get this transaction's id (xmin); so does
			// every answered invitation of the agency, rewritten here, so
			// that id names all who answered there, never one of them.
			if _, err := tx.ExecContext(ctx, `UPDATE survey_invitations SET answered = answered
				WHERE campaign_id = $1 AND agency_id = $2 AND answered`, v.campaign, v.agency); err != nil {
				return fmt.Errorf("survey: rewrite invitations: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_pending (id, campaign_id, agency_id, answers) VALUES ($1, $2, $3, $4)`,
			randomID(), v.campaign, v.agency, packed); err != nil {
			return fmt.Errorf("survey: hold answers: %w", err)
		}
		return nil
	})
}

// lockGroup serialises, on PostgreSQL, the answers of one agency in one
// campaign with each other and with the moves: two first answers of an
// agency committed side by side would each share their transaction id with
// one invitation alone. The lock is an advisory one, held to the end of the
// transaction, so it writes nothing.
func lockGroup(ctx context.Context, tx *sql.Tx, campaign, agency int64) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('survey.group:' || $1::bigint || ':' || $2::bigint, 0))`,
		campaign, agency); err != nil {
		return fmt.Errorf("survey: lock group: %w", err)
	}
	return nil
}

// pack checks that answers give every item of the instrument exactly one
// value on its scale and returns them as "item:value" pairs in item order.
func pack(ins Instrument, answers []Answer) (string, error) {
	given := make(map[int64]int, len(answers))
	for _, a := range answers {
		if _, dup := given[a.ItemID]; dup {
			return "", errs.FieldErr("answers", "survey.answer_duplicate")
		}
		given[a.ItemID] = a.Value
	}
	var sb strings.Builder
	for _, it := range ins.Items {
		v, ok := given[it.ID]
		if !ok {
			return "", errs.FieldErr("answers", "survey.incomplete")
		}
		if v < ins.ScaleMin || v > ins.ScaleMax {
			return "", errs.FieldErr("answers", "survey.value", ins.ScaleMin, ins.ScaleMax)
		}
		delete(given, it.ID)
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.FormatInt(it.ID, 10) + ":" + strconv.Itoa(v))
	}
	if len(given) > 0 {
		return "", errs.FieldErr("answers", "survey.item_unknown")
	}
	return sb.String(), nil
}

// unpack reads what pack wrote.
func unpack(s string) ([]Answer, error) {
	var out []Answer
	for p := range strings.SplitSeq(s, ",") {
		item, value, ok := strings.Cut(p, ":")
		id, err1 := strconv.ParseInt(item, 10, 64)
		v, err2 := strconv.Atoi(value)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("survey: held answer %q", p)
		}
		out = append(out, Answer{ItemID: id, Value: v})
	}
	return out, nil
}

// randomID is a positive random 63-bit key: held answers get no sequence
// number that would give away the order people answered in.
func randomID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
}
