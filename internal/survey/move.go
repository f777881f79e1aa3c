package survey

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/notify"
)

// Job opens campaigns whose first day came, reminds those who have not
// answered a campaign about to close, closes those whose last day passed,
// moves held answers into the responses and keeps the figures of campaigns
// closed before they were kept at the close (keepMissingFigures). Every step claims its
// work with a conditional UPDATE or moves rows it deletes in the same
// transaction, so nodes running it together do each thing once.
func (s *Service) Job() jobs.Job {
	return jobs.Job{Name: "survey.tick", Every: time.Minute, Run: s.Tick}
}

// Tick does the job's work due at now.
func (s *Service) Tick(ctx context.Context, now time.Time) error {
	now = now.UTC()
	due, err := db.IDs(ctx, s.db.R, `SELECT id FROM survey_campaigns WHERE status = 'draft' AND opens_at <= $1 ORDER BY id`, now)
	if err != nil {
		return fmt.Errorf("survey: due campaigns: %w", err)
	}
	for _, id := range due {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { _, err := s.open(ctx, tx, id, now); return err }); err != nil {
			return err
		}
	}
	ending, err := db.IDs(ctx, s.db.R, `SELECT id FROM survey_campaigns WHERE status = 'open' AND closes_at <= $1 ORDER BY id`, now)
	if err != nil {
		return fmt.Errorf("survey: ending campaigns: %w", err)
	}
	for _, id := range ending {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { _, err := s.close(ctx, tx, id, now); return err }); err != nil {
			return err
		}
	}
	if err := s.remind(ctx, now); err != nil {
		return err
	}
	if err := s.Move(ctx); err != nil {
		return err
	}
	return s.keepMissingFigures(ctx) // after the moves: the first after an upgrade takes long
}

// RemindBefore is how long before a campaign closes those who have not
// answered are reminded, once.
const RemindBefore = 3 * 24 * time.Hour

// remind tells the account holders who have not answered an open campaign
// closing within RemindBefore, once per campaign (claimed by reminded_at).
// Who has not answered is participation, which the invitations hold
// anyway; the reminder links to the signed-in form, not to a token.
func (s *Service) remind(ctx context.Context, now time.Time) error {
	due, err := db.IDs(ctx, s.db.R, `SELECT id FROM survey_campaigns WHERE status = 'open' AND reminded_at IS NULL
		AND closes_at > $1 AND closes_at <= $2 ORDER BY id`, now, now.Add(RemindBefore))
	if err != nil {
		return fmt.Errorf("survey: due reminders: %w", err)
	}
	for _, id := range due {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE survey_campaigns SET reminded_at = $2 WHERE id = $1
				AND reminded_at IS NULL AND status = 'open'`, id, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node reminded
			}
			var title string
			if err := tx.QueryRowContext(ctx, `SELECT title FROM survey_campaigns WHERE id = $1`, id).Scan(&title); err != nil {
				return err
			}
			accounts, err := db.IDs(ctx, tx, `SELECT a.id FROM survey_invitations v JOIN accounts a ON a.employee_id = v.employee_id
				WHERE v.campaign_id = $1 AND NOT v.answered AND a.active ORDER BY a.id`, id)
			if err != nil {
				return err
			}
			msgs := make([]notify.Message, 0, len(accounts))
			for _, a := range accounts {
				msgs = append(msgs, notify.Message{AccountID: a, Kind: "survey.reminder", Args: []string{title},
					Link: fmt.Sprintf("/survei/kampanye/%d/isi", id)})
			}
			return notify.Send(ctx, tx, msgs...)
		})
		if err != nil {
			return fmt.Errorf("survey: remind of %d: %w", id, err)
		}
	}
	return nil
}

// Move moves held answers of open campaigns, each agency's once at least
// MinGroup wait. A closed campaign's were all moved by its close, whose
// transaction answers wait for; any found later (from before answers
// share-locked the campaign) are dropped, never moved, so results once
// shown do not change by one response.
func (s *Service) Move(ctx context.Context) error {
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM survey_pending
		WHERE campaign_id IN (SELECT id FROM survey_campaigns WHERE status = 'closed')`); err != nil {
		return fmt.Errorf("survey: drop late answers: %w", err)
	}
	list, err := db.IDs(ctx, s.db.R, `SELECT DISTINCT p.campaign_id FROM survey_pending p
		JOIN survey_campaigns c ON c.id = p.campaign_id WHERE c.status = 'open' ORDER BY p.campaign_id`)
	if err != nil {
		return fmt.Errorf("survey: held answers: %w", err)
	}
	for _, id := range list {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { _, err := s.movePending(ctx, tx, id, false); return err }); err != nil {
			return err
		}
	}
	return nil
}

// movePending moves held answers of campaign into survey_responses and
// survey_answers, in random order, and returns how many responses it
// wrote: while the campaign runs, those of agencies holding at least
// MinGroup; when closing, all. At the close an agency with fewer than
// MinGroup responses in all is pooled: its responses are stored without
// their agency, with its type (as the campaign opened) where at least
// MinGroup pooled responses share it, else with none, since who answered
// in each agency is known (survey_invitations) and would name the few.
// Neither order nor transaction ids pair a person with a response: the
// responses carry this transaction's id (xmin), which no invitation does,
// since it writes none. (Each answer already gave its agency's answered
// invitations one id, see Submit; rewriting the campaign's here too cost
// about 3 s a minute at ministry scale, 180,000 answered, while every
// answer of the campaign waited on the locks above.)
func (s *Service) movePending(ctx context.Context, tx *sql.Tx, campaign int64, closing bool) (int, error) {
	if s.db.Engine() == db.Postgres { // wait for answers in flight, agency by agency (see lockGroup)
		agencies, err := db.IDs(ctx, tx, `SELECT agency_id FROM survey_campaign_agencies WHERE campaign_id = $1 ORDER BY agency_id`, campaign)
		if err != nil {
			return 0, fmt.Errorf("survey: campaign agencies: %w", err)
		}
		for _, a := range agencies {
			if err := lockGroup(ctx, tx, campaign, a); err != nil {
				return 0, err
			}
		}
	}
	least := MinGroup
	if closing {
		least = 1
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, agency_id, answers FROM survey_pending WHERE campaign_id = $1
		AND agency_id IN (SELECT agency_id FROM survey_pending WHERE campaign_id = $1 GROUP BY agency_id HAVING count(*) >= $2)`,
		campaign, least)
	if err != nil {
		return 0, fmt.Errorf("survey: held answers: %w", err)
	}
	type held struct {
		id, agency int64
		answers    string
	}
	var batch []held
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.id, &h.agency, &h.answers); err != nil {
			rows.Close()
			return 0, fmt.Errorf("survey: held answers: %w", err)
		}
		batch = append(batch, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(batch) == 0 {
		return 0, err
	}
	pooled := map[int64]string{} // agency → the type its pooled responses carry
	if closing {
		heldN := map[int64]int{}
		for _, h := range batch {
			heldN[h.agency]++
		}
		if pooled, err = poolTypes(ctx, tx, campaign, heldN); err != nil {
			return 0, err
		}
	}
	rand.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	for _, h := range batch {
		answers, err := unpack(h.answers)
		if err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM survey_pending WHERE id = $1`, h.id)
		if err != nil {
			return 0, fmt.Errorf("survey: take held answers: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another node moved it
		}
		var agency any = h.agency
		typ, pool := pooled[h.agency]
		if pool {
			agency = nil
		}
		resp, err := db.InsertID(ctx, tx, `INSERT INTO survey_responses (campaign_id, agency_id, agency_type) VALUES ($1, $2, $3) RETURNING id`,
			campaign, agency, typ)
		if err != nil {
			return 0, fmt.Errorf("survey: response: %w", err)
		}
		if err := insertAnswers(ctx, tx, resp, answers); err != nil {
			return 0, err
		}
	}
	return len(batch), nil
}

// poolTypes picks, at the close, the agencies whose responses (held ones
// and those already moved) number fewer than MinGroup, and the type each
// one's pooled responses carry: the agency's type as the campaign opened
// where at least MinGroup pooled responses share it, else "".
func poolTypes(ctx context.Context, tx *sql.Tx, campaign int64, held map[int64]int) (map[int64]string, error) {
	moved := map[int64]int{}
	rows, err := tx.QueryContext(ctx, `SELECT agency_id, count(*) FROM survey_responses WHERE campaign_id = $1
		AND agency_id IS NOT NULL GROUP BY agency_id`, campaign)
	if err != nil {
		return nil, fmt.Errorf("survey: responses: %w", err)
	}
	for rows.Next() {
		var a int64
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("survey: responses: %w", err)
		}
		moved[a] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("survey: responses: %w", err)
	}
	types, err := campaignTypes(ctx, tx, campaign)
	if err != nil {
		return nil, err
	}
	out, perType := map[int64]string{}, map[string]int{}
	for a, n := range held {
		if n+moved[a] < MinGroup {
			out[a] = types[a]
			perType[types[a]] += n
		}
	}
	for a, t := range out {
		if perType[t] < MinGroup {
			out[a] = ""
		}
	}
	return out, nil
}

// insertAnswers writes one response's answers in one statement.
func insertAnswers(ctx context.Context, tx *sql.Tx, resp int64, answers []Answer) error {
	q := `INSERT INTO survey_answers (response_id, item_id, value) VALUES `
	args := make([]any, 0, 3*len(answers))
	for i, a := range answers {
		if i > 0 {
			q += ", "
		}
		n := len(args)
		q += fmt.Sprintf("($%d, $%d, $%d)", n+1, n+2, n+3)
		args = append(args, resp, a.ItemID, a.Value)
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("survey: answers: %w", err)
	}
	return nil
}
