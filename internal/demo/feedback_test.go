package demo

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ideas"
)

// checkFeedback checks that the city has answered and waiting ideas, thanks and lessons.
func checkFeedback(t *testing.T, d *db.DB) {
	ctx := context.Background()
	var ideasN, votes, answers, thanksN, lessonsN, published int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM ideas), (SELECT count(*) FROM idea_votes),
		(SELECT count(*) FROM idea_answers), (SELECT count(*) FROM thanks), (SELECT count(*) FROM lessons),
		(SELECT count(*) FROM lessons WHERE article_id IS NOT NULL)`).
		Scan(&ideasN, &votes, &answers, &thanksN, &lessonsN, &published); err != nil {
		t.Fatal(err)
	}
	if ideasN < 6 || votes == 0 || answers < 3 || thanksN < 10 || lessonsN != 2 || published != 1 {
		t.Errorf("%d ideas, %d votes, %d answers, %d thanks, %d lessons (%d published)",
			ideasN, votes, answers, thanksN, lessonsN, published)
	}
	var future int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM ideas WHERE answered_at > $1) +
		(SELECT count(*) FROM idea_answers WHERE created_at > $1)`, time.Now().UTC()).Scan(&future); err != nil {
		t.Fatal(err)
	}
	if future != 0 {
		t.Errorf("%d idea answers dated in the future", future)
	}
	now := time.Now()
	stats, err := ideas.AnswerStats(ctx, d.R, nil, now.AddDate(-1, 0, 0), now, now)
	if err != nil {
		t.Fatal(err)
	}
	if all := stats[0]; all.Answered == 0 || all.Waiting == 0 || all.AnsweredIn30 == all.Answered || all.MedianWaitDays == nil {
		t.Errorf("the demo's waits show no spread: %+v", all)
	}
}

func TestTheDemoIdeasAreAnsweredInThePast(t *testing.T) {
	lo, hi := 1<<30, 0
	for _, di := range demoIdeas {
		if di.Status == "" {
			continue
		}
		if di.AnswerAfter >= di.Age {
			t.Errorf("%q: answered %d days after an idea %d days old: in the future", di.Title, di.AnswerAfter, di.Age)
		}
		lo, hi = min(lo, di.AnswerAfter), max(hi, di.AnswerAfter)
	}
	if lo != 6 || hi != 35 {
		t.Errorf("answers after %d to %d days; the README says 6 to 35", lo, hi)
	}
}
