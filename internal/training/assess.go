package training

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// ScoresInput sets a participant's test scores (0..100); a member left
// out keeps its value.
type ScoresInput struct {
	PreScore  *int `json:"pre_score,omitempty"`
	PostScore *int `json:"post_score,omitempty"`
}

// SetScores records a participant's pre-test and post-test scores, until
// the event is finished.
func (s *Service) SetScores(ctx context.Context, actor *policy.Actor, enrolmentID int64, in ScoresInput) (Enrolment, error) {
	var v errs.Validation
	for _, f := range []struct {
		name  string
		value *int
	}{{"pre_score", in.PreScore}, {"post_score", in.PostScore}} {
		if f.value != nil && (*f.value < 0 || *f.value > 100) {
			v.Add(f.name, "training.score_range")
		}
	}
	if err := v.Err(); err != nil {
		return Enrolment{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := findEnrolment(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if _, err := s.managed(ctx, tx, actor, n.EventID, true); err != nil {
			return err
		}
		if !n.HoldsSeat() {
			return errs.New(errs.Conflict, "training.scores_no_seat")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enrolments SET pre_score = COALESCE($1, pre_score),
			post_score = COALESCE($2, post_score), updated_at = $3 WHERE id = $4`,
			in.PreScore, in.PostScore, now(), enrolmentID); err != nil {
			return fmt.Errorf("training: scores of %d: %w", enrolmentID, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "scores", Entity: "enrolment", EntityID: enrolmentID,
			AgencyID: n.AgencyID, Before: map[string]*int{"pre_score": n.PreScore, "post_score": n.PostScore}, After: in})
	})
	if err != nil {
		return Enrolment{}, err
	}
	return findEnrolment(ctx, s.db.R, enrolmentID)
}

// Gain sums up the tests of an event's participants.
type Gain struct {
	N        int     `json:"n"`        // participants with both scores
	Pre      float64 `json:"pre"`      // mean pre-test score
	Post     float64 `json:"post"`     // mean post-test score
	Gain     float64 `json:"gain"`     // mean of post − pre
	Relative float64 `json:"relative"` // mean normalized gain (post − pre) / (100 − pre), of those below 100 before
}

// Percent is the mean normalized gain in percent.
func (g Gain) Percent() float64 { return g.Relative * 100 }

// LearningGain sums up the participants' tests.
func LearningGain(people []Enrolment) Gain {
	var g Gain
	relN := 0
	for _, n := range people {
		if n.PreScore == nil || n.PostScore == nil || !n.HoldsSeat() {
			continue
		}
		g.N++
		g.Pre += float64(*n.PreScore)
		g.Post += float64(*n.PostScore)
		g.Gain += float64(*n.PostScore - *n.PreScore)
		if *n.PreScore < 100 {
			g.Relative += float64(*n.PostScore-*n.PreScore) / float64(100-*n.PreScore)
			relN++
		}
	}
	if g.N > 0 {
		g.Pre, g.Post, g.Gain = g.Pre/float64(g.N), g.Post/float64(g.N), g.Gain/float64(g.N)
	}
	if relN > 0 {
		g.Relative /= float64(relN)
	}
	return g
}

// EvaluationInput is a participant's reaction: four questions on a 1..5
// scale (1 poor … 5 excellent) and a comment.
type EvaluationInput struct {
	Relevance  int    `json:"relevance"`  // to my work
	Content    int    `json:"content"`    // the material
	Trainer    int    `json:"trainer"`    // the trainer
	Usefulness int    `json:"usefulness"` // I will use what I learnt
	Comment    string `json:"comment,omitempty"`
}

// Questions are the evaluation's questions, in the order forms show them.
var Questions = []string{"relevance", "content", "trainer", "usefulness"}

func (in *EvaluationInput) validate() error {
	var v errs.Validation
	for i, x := range []int{in.Relevance, in.Content, in.Trainer, in.Usefulness} {
		if x < 1 || x > 5 {
			v.Add(Questions[i], "training.rating_range")
		}
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > maxComment {
		v.Add("comment", "training.comment_long", maxComment)
	}
	return v.Err()
}

// Evaluate records (or changes) the actor's reaction to an event they
// attended. It writes no audit entry, as answering a survey writes none:
// an entry names its actor, and the event's agency's admin reads its log,
// who must not learn who evaluated the event nor, from the summary changing
// after an entry, what they wrote (see forViewer).
func (s *Service) Evaluate(ctx context.Context, actor *policy.Actor, eventID int64, in EvaluationInput) error {
	if actor == nil || actor.EmployeeID == 0 {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	if err := in.validate(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := findEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if e.CancelledAt != nil {
			return errs.New(errs.Conflict, "training.event_cancelled")
		}
		n, err := enrolmentOf(ctx, tx, eventID, actor.EmployeeID)
		if errs.Is(err, errs.NotFound) || (err == nil && !n.Cleared()) {
			return errs.New(errs.Forbidden, "training.evaluate_not_participant")
		}
		if err != nil {
			return err
		}
		if n.Attended == 0 {
			return errs.New(errs.Conflict, "training.evaluate_after_attending")
		}
		at := now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_evaluations (enrolment_id, relevance, content, trainer,
			usefulness, comment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT (enrolment_id) DO UPDATE SET relevance = excluded.relevance, content = excluded.content,
			trainer = excluded.trainer, usefulness = excluded.usefulness, comment = excluded.comment,
			updated_at = excluded.updated_at`,
			n.ID, in.Relevance, in.Content, in.Trainer, in.Usefulness, in.Comment, at); err != nil {
			return fmt.Errorf("training: evaluation of %d: %w", n.ID, err)
		}
		return nil
	})
}

// MyEvaluation returns the actor's evaluation of an event, nil if none.
func (s *Service) MyEvaluation(ctx context.Context, actor *policy.Actor, eventID int64) (*EvaluationInput, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return nil, nil
	}
	var in EvaluationInput
	err := s.db.R.QueryRowContext(ctx, `SELECT v.relevance, v.content, v.trainer, v.usefulness, v.comment
		FROM event_evaluations v JOIN enrolments n ON n.id = v.enrolment_id WHERE n.event_id = $1 AND n.employee_id = $2`,
		eventID, actor.EmployeeID).Scan(&in.Relevance, &in.Content, &in.Trainer, &in.Usefulness, &in.Comment)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("training: evaluation: %w", err)
	}
	return &in, nil
}

// minAnswers is how many participants must have answered before their
// ratings and comments are shown: with fewer, those who run the event,
// knowing who attended, could tell who wrote what.
const minAnswers = 3

// Reaction sums up an event's evaluations without names. With fewer than
// minAnswers answers only their number is given (TooFew).
type Reaction struct {
	N          int      `json:"n"`
	TooFew     bool     `json:"too_few"` // not yet enough answers to show them without revealing who wrote them
	Relevance  float64  `json:"relevance"`
	Content    float64  `json:"content"`
	Trainer    float64  `json:"trainer"`
	Usefulness float64  `json:"usefulness"`
	Comments   []string `json:"comments"` // in the order of their text, not of their writing
}

// Reaction returns the summed-up evaluations of an event, to those who
// run it.
func (s *Service) Reaction(ctx context.Context, actor *policy.Actor, eventID int64) (Reaction, error) {
	e, err := s.Event(ctx, actor, eventID)
	if err != nil {
		return Reaction{}, err
	}
	t, err := eventTarget(ctx, s.db.R, actor, e)
	if err != nil {
		return Reaction{}, err
	}
	if err := policy.Check(actor, policy.EventManage, t); err != nil {
		return Reaction{}, err
	}
	return s.reaction(ctx, eventID)
}

// reaction sums up the evaluations of an event, for a reader already known
// to run it.
func (s *Service) reaction(ctx context.Context, eventID int64) (Reaction, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT v.relevance, v.content, v.trainer, v.usefulness, v.comment
		FROM event_evaluations v JOIN enrolments n ON n.id = v.enrolment_id WHERE n.event_id = $1`, eventID)
	if err != nil {
		return Reaction{}, fmt.Errorf("training: evaluations of %d: %w", eventID, err)
	}
	defer rows.Close()
	r := Reaction{Comments: []string{}}
	for rows.Next() {
		var a, b, c, d int
		var comment string
		if err := rows.Scan(&a, &b, &c, &d, &comment); err != nil {
			return Reaction{}, fmt.Errorf("training: evaluations of %d: %w", eventID, err)
		}
		r.N++
		r.Relevance += float64(a)
		r.Content += float64(b)
		r.Trainer += float64(c)
		r.Usefulness += float64(d)
		if comment != "" {
			r.Comments = append(r.Comments, comment)
		}
	}
	if err := rows.Err(); err != nil {
		return Reaction{}, err
	}
	if r.N < minAnswers {
		return Reaction{N: r.N, TooFew: r.N > 0, Comments: []string{}}, nil
	}
	n := float64(r.N)
	r.Relevance, r.Content, r.Trainer, r.Usefulness = r.Relevance/n, r.Content/n, r.Trainer/n, r.Usefulness/n
	// Sorted by text, so the order tells nothing of who wrote first.
	slices.Sort(r.Comments)
	return r, nil
}
